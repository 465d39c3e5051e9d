from tests.authz import Case, members

A_VIEWERS = members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa")
A_WORK = members("inspector_a", "link_a", "admin", "qa")
A_TEAM = members("inspector_a", "admin")
A_LEAD = members("admin")


def _a(w):
    return {"pk": w.inspection_a.pk}


def _item(attr):
    return lambda w: {"pk": w.inspection_a.pk, "item_pk": getattr(w, attr).pk}


EXPECTATIONS = {
    "inspections:create": Case(members("admin")),
    "inspections:detail": Case(A_VIEWERS, kwargs=_a),
    "inspections:edit": Case(A_TEAM, kwargs=_a),
    "inspections:advance": Case(A_LEAD, kwargs=_a, method="post", ok=302),
    "inspections:team-add": Case(A_LEAD, kwargs=_a),
    "inspections:team-remove": Case(
        A_LEAD,
        kwargs=lambda w: {"pk": w.inspection_a.pk, "member_pk": w.assessor_a.pk},
        method="post",
        ok=302,
    ),
    "inspections:team-make-lead": Case(
        A_LEAD,
        kwargs=lambda w: {"pk": w.inspection_a.pk, "member_pk": w.assessor_a.pk},
        method="post",
        ok=302,
    ),
    "inspections:evidence": Case(A_WORK, kwargs=_a),
    "inspections:evidence-add": Case(A_TEAM, kwargs=_a),
    "inspections:evidence-delete": Case(A_TEAM, kwargs=_item("evidence_a"), method="post", ok=302),
    "inspections:evidence-file": Case(
        A_WORK, kwargs=lambda w: {"pk": w.inspection_a.pk, "file_pk": w.evidence_file_a.pk}
    ),
    "inspections:evaluations": Case(A_WORK, kwargs=_a),
    "inspections:evaluation-edit": Case(
        A_TEAM, kwargs=lambda w: {"pk": w.inspection_a.pk, "qi_pk": w.qi_a.pk}
    ),
    "inspections:findings": Case(A_WORK, kwargs=_a),
    "inspections:strength-add": Case(A_TEAM, kwargs=_a, method="post", ok=302),
    "inspections:strength-delete": Case(A_TEAM, kwargs=_item("strength_a"), method="post", ok=302),
    "inspections:area-add": Case(A_TEAM, kwargs=_a),
    "inspections:area-edit": Case(A_TEAM, kwargs=_item("area_a")),
    "inspections:area-delete": Case(A_TEAM, kwargs=_item("area_a"), method="post", ok=302),
    "inspections:practice-add": Case(A_TEAM, kwargs=_a, method="post", ok=302),
    "inspections:practice-delete": Case(A_TEAM, kwargs=_item("practice_a"), method="post", ok=302),
    "inspections:quality-assurance": Case(A_WORK, kwargs=_a),
    # The draft is not yet shared with the partnership (the inspection is evaluating).
    "inspections:factual-accuracy": Case(A_WORK, kwargs=_a),
    "inspections:factual-accuracy-respond": Case(
        A_TEAM,
        kwargs=lambda w: {"pk": w.inspection_a.pk, "comment_pk": w.comment_a.pk},
        method="post",
        ok=302,
    ),
}
