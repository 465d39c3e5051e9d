"""Framework models whose every create, update and delete is kept in the audit trail."""

from auditlog.registry import auditlog

from scrutiny.frameworks.models import (
    Framework,
    FrameworkVersion,
    Group,
    QualityIndicator,
    Scale,
    ScaleLevel,
)

for model in (Scale, ScaleLevel, Framework, FrameworkVersion, Group, QualityIndicator):
    auditlog.register(model)
