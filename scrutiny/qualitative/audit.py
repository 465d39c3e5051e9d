from auditlog.registry import auditlog

from scrutiny.qualitative.models import (
    Code,
    Coding,
    CodingCheck,
    Project,
    Quote,
    Source,
    Suggestion,
)

for model in (Project, Source, Code, Coding, CodingCheck, Suggestion, Quote):
    auditlog.register(model)
