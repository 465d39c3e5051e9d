"""Browser tests drive the system Chromium with Playwright (no browser download)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Browser tests need Chromium at {CHROMIUM}: install Debian's chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary."
        )
    if not AXE.exists():
        pytest.skip("Browser tests need axe-core from npm: run `npm ci` (make test does).")
    # Playwright's sync API runs an event loop in this thread; the tests' own database
    # calls happen between its calls, never during them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


LANDMARK_RULES = [
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "region",
]


def landmark_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's landmark rules (best practice, not WCAG, so ``axe_violations`` leaves them
    out), at any impact: each landmark has a name no other landmark has, and so on."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (rules) => await axe.run(document, {runOnly: {type: 'rule', values: rules}})",
        LANDMARK_RULES,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)
