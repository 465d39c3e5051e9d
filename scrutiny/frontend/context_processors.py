from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from scrutiny import __version__


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _items_for(request: HttpRequest) -> list[tuple[str, str]]:
    user = request.user
    items: list[tuple[str, str]] = [("Published reports", reverse("publishing:partnerships"))]
    if not user.is_authenticated:
        return items
    items.insert(0, ("Home", reverse("frontend:home")))
    own = user.organisation.partnership if user.partnership_id is not None else None
    if own is not None:
        items.insert(1, ("Your partnership", reverse("frontend:partnership", args=[own.slug])))
    if user.has_perm("frameworks.view_framework"):
        items.append(("Frameworks", reverse("frameworks:list")))
    if user.has_perm("inspections.create_inspection"):
        items.append(("New inspection", reverse("inspections:create")))
    if user.has_perm("indicators.import_data"):
        # The catalogue, with its imports of national and child-level figures.
        items.append(("Indicators", reverse("indicators:catalogue")))
    if user.has_perm("accounts.manage_people"):
        items.append(("People", reverse("accounts:people")))
    if user.has_perm("improvement.manage_link_assignments"):
        items.append(("Link inspectors", reverse("improvement:assignments")))
    if user.has_perm("accounts.view_audit"):
        items.append(("Audit", reverse("accounts:audit")))
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's header, navigation and footer need."""
    path = request.path
    items = _items_for(request)
    # The longest matching prefix is the current section (Home only matches exactly).
    best = max(
        (url for _, url in items if url != "/" and path.startswith(url)),
        key=len,
        default="/" if path == "/" else None,
    )
    return {
        "nav_items": [NavItem(label, url, url == best) for label, url in items],
        "demo_mode": settings.SCRUTINY_DEMO,
        "scrutiny_version": __version__,
    }
