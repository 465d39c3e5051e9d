"""Load the framework and scale data files shipped in ``frameworks/data``.

Used by a data migration (with historical models) and by ``scrutiny manage load_frameworks``.
Loading is idempotent: a framework that exists keeps its versions untouched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
SCALE_FILES = ["six_point_scale.json"]
FRAMEWORK_FILES = ["framework_2014.json", "framework_2018.json"]


def read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return data


def qi_key(qi: dict[str, Any], group: dict[str, Any]) -> str:
    """A stable key: the QI number where there is one, else the group's, then the title."""
    number = str(qi["number"] or group["number"]).replace(".", "-")
    return str(qi.get("key") or slugify(f"{number} {qi['title']}"))[:80]


def load_all(models: Any) -> None:
    """``models`` gives Scale, ScaleLevel, Framework, FrameworkVersion, Group, QualityIndicator
    as attributes (the app registry of a migration, or the real models module)."""
    for name in SCALE_FILES:
        data = read(name)
        scale, created = models.Scale.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"], "source": data["source"]}
        )
        if created:
            for level in data["levels"]:
                models.ScaleLevel.objects.create(scale=scale, **level)
    for name in FRAMEWORK_FILES:
        data = read(name)
        if models.Framework.objects.filter(slug=data["slug"]).exists():
            continue
        framework = models.Framework.objects.create(
            slug=data["slug"],
            title=data["title"],
            year=data["year"],
            source=data["source"],
            verification=data["verification"],
            scale=models.Scale.objects.get(slug=data["scale"]),
        )
        version = models.FrameworkVersion.objects.create(
            framework=framework, number=1, created_by="data file", note=f"Loaded from {name}"
        )
        qi_order = 0
        for group_order, group_data in enumerate(data["groups"], start=1):
            group = models.Group.objects.create(
                version=version,
                kind=group_data["kind"],
                number=group_data["number"],
                title=group_data["title"],
                order=group_order,
            )
            for qi in group_data["qis"]:
                qi_order += 1
                models.QualityIndicator.objects.create(
                    version=version,
                    group=group,
                    number=qi["number"],
                    key=qi_key(qi, group_data),
                    title=qi["title"],
                    evaluated_in=qi["evaluated_in"],
                    verified=qi["verified"],
                    order=qi_order,
                )
