from __future__ import annotations

from tests.authz import PUBLIC, Case, members

A_VIEWERS = members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa")
A_EDITORS = members("lead_a", "admin")
A_LINKERS = members("lead_a", "link_a", "admin")
ADMIN = members("admin")


def _a(w):
    return {"slug": w.partnership_a.slug}


def _chart(w):
    return {"slug": w.partnership_a.slug, "key": w.indicator_key}


def _local(w):
    return {"slug": w.partnership_a.slug, "key": w.local_a.key}


def _group(w):
    return {"slug": w.partnership_a.slug, "pk": w.comparator_a.pk}


def _action(w):
    action = getattr(w, "action_a", None)
    return {"action": action.pk if action is not None else 0}


EXPECTATIONS = {
    "indicators:catalogue": Case(PUBLIC),
    # A national definition is public (tests/indicators/test_catalogue.py); a local measure's is
    # seen by those who see the partnership's dashboard, and not found by anyone else.
    "indicators:definition": Case(
        A_VIEWERS, kwargs=lambda w: {"key": w.local_a.key}, denied=404, anonymous=404
    ),
    "indicators:catalogue-edit": Case(ADMIN, kwargs=lambda w: {"key": "lac_away_11_15"}),
    "indicators:imports": Case(ADMIN),
    "indicators:import-cube": Case(ADMIN),
    "indicators:import-child-level": Case(ADMIN),
    "indicators:child-level-run": Case(ADMIN, kwargs=lambda w: {"pk": w.run_a.pk}),
    "indicators:public": Case(PUBLIC, kwargs=_a),
    "indicators:public-csv": Case(PUBLIC, kwargs=_a),
    "indicators:dashboard": Case(A_VIEWERS, kwargs=_a),
    "indicators:dashboard-csv": Case(A_VIEWERS, kwargs=_a),
    "indicators:comparators": Case(A_VIEWERS, kwargs=_a),
    "indicators:comparator-add": Case(A_EDITORS, kwargs=_a),
    "indicators:comparator-edit": Case(A_EDITORS, kwargs=_group),
    "indicators:comparator-delete": Case(A_EDITORS, kwargs=_group, method="post", ok=302),
    "indicators:local-add": Case(A_EDITORS, kwargs=_a),
    "indicators:local-edit": Case(A_EDITORS, kwargs=_local),
    "indicators:local-values": Case(A_EDITORS, kwargs=_local),
    "indicators:local-upload": Case(A_EDITORS, kwargs=_local),
    "indicators:link-delete": Case(
        A_LINKERS,
        kwargs=lambda w: {"slug": w.partnership_a.slug, "pk": w.indicator_link_a.pk},
        method="post",
        ok=302,
    ),
    "indicators:chart": Case(A_VIEWERS, kwargs=_chart),
    "indicators:chart-csv": Case(A_VIEWERS, kwargs=_chart),
    "indicators:target": Case(
        A_EDITORS, kwargs=_chart, method="post", data=lambda w: {"target": "5"}, ok=302
    ),
    "indicators:baseline": Case(
        A_EDITORS, kwargs=_chart, method="post", data=lambda w: {"points": "4"}, ok=302
    ),
    "indicators:rebase-add": Case(
        A_EDITORS,
        kwargs=_chart,
        method="post",
        data=lambda w: {"period": "2016", "reason": "A change."},
        ok=302,
    ),
    "indicators:rebase-delete": Case(
        A_EDITORS,
        kwargs=lambda w: {**_chart(w), "pk": w.rebase_a.pk},
        method="post",
        ok=302,
    ),
    "indicators:link-area": Case(
        A_LINKERS,
        kwargs=_chart,
        method="post",
        data=lambda w: {"area": w.published_area_a.pk},
        ok=302,
    ),
    # The action's own measure: the same people as on the action's page.
    "indicators:link-action": Case(A_EDITORS, kwargs=_chart, method="post", data=_action, ok=302),
}
