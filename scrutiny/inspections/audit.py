from auditlog.registry import auditlog

from scrutiny.inspections.models import (
    AreaForImprovement,
    Evaluation,
    EvidenceItem,
    FactualAccuracyComment,
    GoodPractice,
    Inspection,
    KeyStrength,
    TeamMember,
)

for model in (
    Inspection,
    TeamMember,
    EvidenceItem,
    Evaluation,
    KeyStrength,
    AreaForImprovement,
    GoodPractice,
    FactualAccuracyComment,
):
    auditlog.register(model)
