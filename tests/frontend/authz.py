from tests.authz import PUBLIC, Case, members

EXPECTATIONS = {
    "frontend:home": Case(PUBLIC),
    "frontend:accessibility": Case(PUBLIC),
    "frontend:privacy": Case(PUBLIC),
    "frontend:partnership": Case(
        members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa"),
        kwargs=lambda w: {"slug": "south-ayrshire"},
    ),
}
