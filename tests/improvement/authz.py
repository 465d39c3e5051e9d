from tests.authz import INSPECTORATE_STAFF, PUBLIC, Case, members

A_VIEWERS = members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa")
A_EDITORS = members("lead_a", "admin")
A_LINK = members("link_a", "admin")
A_MONITORING = members("inspector_a", "link_a", "admin", "qa")
A_OVERRIDE = members("lead_a", "link_a", "admin")
REVIEW_READERS = members("inspector_a", "link_a", "admin", "qa")
REVIEW_TEAM = members("inspector_a", "admin")
REVIEW_LEAD = members("admin")
ADMIN = members("admin")


def _slug(w):
    return {"slug": "south-ayrshire"}


def _plan(w):
    return {"pk": w.plan_a.pk}


def _action(w):
    return {"action_pk": w.action_a.pk}


def _review(w):
    return {"pk": w.review_a.pk}


def _post(allowed, kwargs):
    return Case(allowed, kwargs=kwargs, method="post", ok=302)


EXPECTATIONS = {
    # Action plans: the partnership's editors write them, the link inspector reviews them.
    "improvement:plan-start": _post(A_EDITORS, lambda w: {"pk": w.published_a.pk}),
    "improvement:plan": Case(A_VIEWERS, kwargs=_plan),
    "improvement:plan-submit": _post(A_EDITORS, _plan),
    "improvement:plan-review": _post(A_LINK, _plan),
    "improvement:action-add": Case(A_EDITORS, kwargs=_plan),
    "improvement:action": Case(A_VIEWERS, kwargs=_action),
    "improvement:action-edit": Case(A_EDITORS, kwargs=_action),
    "improvement:action-delete": _post(A_EDITORS, _action),
    "improvement:milestone-add": _post(A_EDITORS, _action),
    "improvement:milestone-done": _post(A_EDITORS, lambda w: {"pk": w.milestone_a.pk}),
    "improvement:milestone-remove": _post(A_EDITORS, lambda w: {"pk": w.milestone_a.pk}),
    "improvement:milestone-edit": Case(A_EDITORS, kwargs=lambda w: {"pk": w.milestone_a.pk}),
    "improvement:update-add": Case(A_EDITORS, kwargs=_action),
    "improvement:update-file": Case(A_VIEWERS, kwargs=lambda w: {"pk": w.update_file_a.pk}),
    "improvement:status-override": Case(A_OVERRIDE, kwargs=_action),
    "improvement:measure-choose": Case(A_EDITORS, kwargs=_action),
    "improvement:measure-remove": _post(A_EDITORS, lambda w: {"pk": w.measure_a.pk}),
    # Monitoring is inspectorate-only; the timeline is for everyone who sees the partnership.
    "improvement:monitoring": Case(A_MONITORING, kwargs=_slug),
    "improvement:contact-add": Case(A_LINK, kwargs=_slug),
    "improvement:note-add": Case(A_LINK, kwargs=_slug),
    "improvement:contact-change": Case(A_LINK, kwargs=lambda w: {"pk": w.contact_a.pk}),
    "improvement:note-change": Case(A_LINK, kwargs=lambda w: {"pk": w.note_a.pk}),
    "improvement:concern-add": Case(A_LINK, kwargs=_slug),
    "improvement:support-add": Case(A_LINK, kwargs=_slug),
    "improvement:concern-resolve": Case(A_LINK, kwargs=lambda w: {"pk": w.concern_a.pk}),
    "improvement:timeline": Case(A_VIEWERS, kwargs=_slug),
    "improvement:assignments": Case(ADMIN),
    "improvement:assignment-end": _post(ADMIN, lambda w: {"pk": w.assignment_a.pk}),
    # Progress reviews: the review team writes, QA signs off, the lead publishes.
    "improvement:review-create": Case(A_LINK, kwargs=lambda w: {"pk": w.published_a.pk}),
    "improvement:review": Case(REVIEW_READERS, kwargs=_review),
    "improvement:review-edit": Case(REVIEW_TEAM, kwargs=_review),
    "improvement:review-team-add": Case(REVIEW_LEAD, kwargs=_review),
    "improvement:finding-edit": Case(
        REVIEW_TEAM, kwargs=lambda w: {"pk": w.review_a.pk, "finding_pk": w.finding_a.pk}
    ),
    "improvement:review-submit": _post(REVIEW_LEAD, _review),
    "improvement:review-qa": _post(members("qa"), _review),
    "improvement:evidence-choose": Case(REVIEW_TEAM, kwargs=lambda w: {"pk": w.finding_a.pk}),
    "improvement:evidence-remove": _post(REVIEW_TEAM, lambda w: {"pk": w.finding_evidence_a.pk}),
    "improvement:scale": Case(INSPECTORATE_STAFF),
    "improvement:scale-add": Case(ADMIN),
    "improvement:scale-edit": Case(ADMIN, kwargs=lambda w: {"pk": w.level_a.pk}),
    # The progress review report (publishing): public once published; 404 before.
    "publishing:progress-review": Case(PUBLIC, kwargs=lambda w: {"pk": w.published_review_a.pk}),
    "publishing:progress-review-pdf": Case(
        PUBLIC, kwargs=lambda w: {"pk": w.published_review_a.pk}
    ),
    "publishing:progress-review-version": Case(
        PUBLIC, kwargs=lambda w: {"pk": w.published_review_a.pk, "number": 1}
    ),
    "publishing:progress-review-version-pdf": Case(
        PUBLIC, kwargs=lambda w: {"pk": w.published_review_a.pk, "number": 1}
    ),
    "publishing:progress-review-draft": Case(REVIEW_READERS, kwargs=_review),
    "publishing:progress-review-draft-pdf": Case(REVIEW_READERS, kwargs=_review),
    "publishing:progress-review-publish": _post(REVIEW_LEAD, _review),
    "publishing:progress-review-correct": Case(
        REVIEW_LEAD, kwargs=lambda w: {"pk": w.published_review_a.pk}
    ),
}
