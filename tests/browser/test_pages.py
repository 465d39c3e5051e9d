"""Sign in as each demo role, follow the links a person would, and check every page reached:
it loads, has one h1 and a unique title, and axe-core finds no serious or critical problem."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from scrutiny.demo import builder
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One person per role; together they reach every kind of page.
ROLES = [
    None,
    "admin@inspectorate.example",
    "lead.inspector@inspectorate.example",
    "inspector@inspectorate.example",
    "link.inspector@inspectorate.example",
    "qa@inspectorate.example",
    "lead@south-ayrshire.example",
    "viewer@east-ayrshire.example",
]
SKIP = (
    "/account/sign-out/",
    "/static/",
    "/files/",
    ".pdf",
    ".csv",
    ".xlsx",
    ".qdpx",
    ".qdc",
    "/download",
    "/export",
)
# Every kind of page (URL pattern) a role can reach is checked; a few instances of each kind are
# enough, since they share a template (120 record pages would add time and nothing else).
PER_KIND = 2
MAX_PAGES = 150


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", builder.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/account/sign-in/" not in page.url, f"{email} could not sign in"


def _kind(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def _crawl(page: Any, base: str) -> dict[str, str]:
    """Visit same-site links breadth-first, a few of each kind of page; return {path: title};
    fail on any problem."""
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    titles: dict[str, str] = {}
    queue = deque([f"{base}/"])
    problems: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        path = urlparse(url).path + (f"?{urlparse(url).query}" if urlparse(url).query else "")
        if path in seen:
            continue
        kind = _kind(urlparse(url).path)
        if kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        seen.add(path)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file download, not a page
            raise
        if response is None or response.status >= 400:
            problems.append(f"{path}: HTTP {response.status if response else 'none'}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{path}: {page.locator('h1').count()} h1 elements")
        for landmark in ("header", "main", "footer"):
            if page.locator(landmark).count() < 1:
                problems.append(f"{path}: no <{landmark}>")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path}:\n{describe(violations)}")
        titles[path] = page.title()
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            if href.startswith(base) and not any(s in href for s in SKIP):
                queue.append(href)
    assert not problems, "\n".join(problems)
    return titles


def test_every_page_each_role_reaches_is_accessible(browser: Any, live_server: Any) -> None:
    """One demo build, crawled by one person per role (a crawl only reads, so they share it)."""
    builder.build()
    failures = []
    for email in ROLES:
        context = browser.new_context()
        page = context.new_page()
        try:
            if email:
                _sign_in(page, live_server.url, email)
            titles = _crawl(page, live_server.url)
            duplicates = {t for t in titles.values() if list(titles.values()).count(t) > 1}
            if duplicates:
                raise AssertionError(f"Titles used by more than one page: {sorted(duplicates)}")
            if len(titles) < 3:
                raise AssertionError(f"only reached {sorted(titles)}")
        except AssertionError as problem:
            failures.append(f"== {email or 'public'} ==\n{problem}")
        finally:
            context.close()
    assert not failures, "\n".join(failures)


def test_pages_work_without_javascript(browser: Any, live_server: Any) -> None:
    builder.build()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, live_server.url, "lead@south-ayrshire.example")
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("Welcome")
    page.click("text=Sign out")
    assert page.locator("text=You have signed out.").count() == 1
    context.close()


def test_the_accessibility_check_does_find_problems(browser: Any) -> None:
    """Guards the guard: a page with known faults must produce violations."""
    page = browser.new_page()
    page.set_content(
        "<html><body><main><img src='chart.png'><input type='text'>"
        "<p style='color:#ddd;background:#fff'>Faint text</p></main></body></html>"
    )
    found = {violation["id"] for violation in axe_violations(page)}
    page.close()
    assert {"image-alt", "label", "color-contrast"} <= found


def test_pages_reflow_on_a_phone(browser: Any, live_server: Any) -> None:
    """At 320 CSS pixels (WCAG 1.4.10) the main navigation is on screen and the page does not
    scroll sideways; wide data tables scroll inside their own region."""
    builder.build()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    _sign_in(page, live_server.url, "lead@south-ayrshire.example")
    paths = [
        "/",
        "/partnerships/south-ayrshire/",
        "/indicators/p/south-ayrshire/",
        "/indicators/p/south-ayrshire/lac_away_11_15/",
        "/indicators/public/south-ayrshire/",
    ]
    plan = page.goto(f"{live_server.url}/partnerships/south-ayrshire/")
    assert plan is not None
    links = page.eval_on_selector_all(
        "main a[href*='/improvement/plans/'], main a[href*='/reports/']",
        "els => els.map(e => new URL(e.href).pathname)",
    )
    paths.extend(sorted(set(links))[:3])
    problems = []
    measured: list[int] = []
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{path}: {width}px wide")
        if not page.locator("nav.ds_site-navigation a").first.is_visible():
            problems.append(f"{path}: no navigation on screen")
        # A chart keeps legible text: it scrolls in its region rather than shrinking to fit.
        narrowest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('.scrutiny-table-wrap > svg')]"
            ".map(svg => svg.getBoundingClientRect().width))"
        )
        charts = page.locator(".scrutiny-table-wrap > svg").count()
        if charts and narrowest < 600:
            problems.append(f"{path}: a chart shrunk to {narrowest:.0f}px")
        if "/indicators/" in path:
            measured.append(charts)
    context.close()
    assert len(paths) >= 7, paths
    assert all(measured) and len(measured) == 3, measured  # every indicators page has charts
    assert not problems, "\n".join(problems)
