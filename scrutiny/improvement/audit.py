from auditlog.registry import auditlog

from scrutiny.improvement.models import (
    Action,
    ActionMeasure,
    ActionPlan,
    ActionUpdate,
    Concern,
    Contact,
    FindingEvidence,
    Milestone,
    MonitoringNote,
    PlanEvent,
    ProgressFinding,
    ProgressLevel,
    ProgressReview,
    ProgressReviewTeamMember,
    SupportOffer,
)

for model in (
    ActionPlan,
    PlanEvent,
    Action,
    Milestone,
    ActionUpdate,
    ActionMeasure,
    Contact,
    MonitoringNote,
    Concern,
    SupportOffer,
    ProgressLevel,
    ProgressReview,
    ProgressReviewTeamMember,
    ProgressFinding,
    FindingEvidence,
):
    auditlog.register(model)
