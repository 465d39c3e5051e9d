from tests.authz import PUBLIC, Case

EXPECTATIONS = {
    "publishing:partnerships": Case(PUBLIC),
}
