from tests.authz import Case

EXPECTATIONS: dict[str, Case] = {}
