from auditlog.registry import auditlog

from scrutiny.fieldwork.models import (
    PreInspectionReturn,
    Reading,
    ReadingPair,
    ReadingTemplate,
    Sample,
    Survey,
    SurveyImport,
)

# Rows written in bulk (children on a return, sampled records, answers, survey responses) are not
# registered one by one: the return, the sample, the reading and the import that wrote them are.
for model in (
    PreInspectionReturn,
    Sample,
    ReadingPair,
    Reading,
    ReadingTemplate,
    Survey,
    SurveyImport,
):
    auditlog.register(model)
