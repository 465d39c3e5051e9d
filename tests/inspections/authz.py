from tests.authz import Case, members

A_VIEWERS = members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa")

EXPECTATIONS = {
    "inspections:partnership": Case(A_VIEWERS, kwargs=lambda w: {"slug": "south-ayrshire"}),
    "inspections:detail": Case(A_VIEWERS, kwargs=lambda w: {"pk": w.inspection_a.pk}),
}
