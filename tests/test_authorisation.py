"""Walk every URL pattern and check what each member of the test cast gets."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.authz import SIGN_IN_REDIRECT, Case
from tests.conftest import Cast, client_for
from tests.world import build_world


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name")
            names.add(f"{namespace}{entry.name}")
    return names


def _expectations() -> dict[str, Case]:
    found: dict[str, Case] = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            authz = importlib.import_module(f"tests.{module.name}.authz")
        except ModuleNotFoundError:
            continue
        overlap = found.keys() & authz.EXPECTATIONS.keys()
        assert not overlap, f"URL names with two expectations: {sorted(overlap)}"
        found.update(authz.EXPECTATIONS)
    return found


EXPECTATIONS = _expectations()


def test_every_url_has_an_expectation() -> None:
    names = _url_names(get_resolver().url_patterns)
    missing = sorted(names - EXPECTATIONS.keys())
    stale = sorted(EXPECTATIONS.keys() - names)
    assert not missing, f"URLs with no authorisation expectation: {missing}"
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_url_answers_each_member_of_the_cast_as_expected(name: str, cast: Cast) -> None:
    case = EXPECTATIONS[name]
    world = build_world(cast)
    url = reverse(name, kwargs=case.kwargs(world)) + case.query
    failures = []
    for member, user in cast.members().items():
        client = client_for(user)
        data = case.data(world) if case.data else {}
        # Each member's request is rolled back, so one member's POST (a delete, say) cannot
        # change what the next member is answered.
        with transaction.atomic():
            response = getattr(client, case.method)(url, data)
            transaction.set_rollback(True)
        expected = case.expected_for(member)
        if expected == SIGN_IN_REDIRECT:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith(reverse("accounts:sign-in")):
                failures.append(f"{member}: {response.status_code} {location!r}, not sign-in")
        elif response.status_code != expected:
            failures.append(f"{member}: {response.status_code}, expected {expected}")
    assert not failures, f"{case.method.upper()} {url}\n" + "\n".join(failures)
