from tests.authz import PUBLIC, Case

EXPECTATIONS = {
    "frontend:home": Case(PUBLIC),
    "frontend:accessibility": Case(PUBLIC),
    "frontend:privacy": Case(PUBLIC),
}
