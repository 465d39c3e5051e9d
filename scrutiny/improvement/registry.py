"""Hooks other apps register with, so improvement never imports them.

Two registries:

- **Link sources** — kinds of object that can be linked to a progress review finding (as
  evidence) or to an action (as a measure of success). Each source lists the candidate objects
  of one partnership; the generic chooser offers them by content type. Improvement registers
  inspection evidence items and actions itself (see ``apps.py``); ``indicators`` and
  ``qualitative`` register their charts, record-reading results and coded themes the same way::

      from scrutiny.improvement.registry import EVIDENCE, MEASURE, LinkSource, register_link_source

      register_link_source(
          LinkSource(
              model=Indicator,
              label="Indicator charts",
              purposes=frozenset({EVIDENCE, MEASURE}),
              candidates=lambda partnership: Indicator.objects.filter(partnership=partnership),
          )
      )

- **Signal providers** — functions that return the latest signals (e.g. SPC special-cause
  variation) for a partnership, shown on the link inspector's monitoring page::

      register_signal_provider(lambda partnership: [Signal(label=..., detail=..., url=...)])

Register from your ``AppConfig.ready``. Registration is idempotent by model (sources) and by
function (providers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from scrutiny.places.models import Partnership

EVIDENCE = "evidence"  # what a progress review finding rests on
MEASURE = "measure"  # how an action's success is measured


def _describe(obj: Any) -> str:
    return str(obj)


@dataclass(frozen=True)
class LinkSource:
    model: type[Model]
    label: str  # the content type as people say it, e.g. "Indicator charts"
    purposes: frozenset[str]
    candidates: Callable[[Partnership], Iterable[Any]]
    describe: Callable[[Any], str] = field(default=_describe)

    @property
    def key(self) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{meta.model_name}"

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def belongs_to(self, obj: Any, partnership: Partnership) -> bool:
        """Whether ``obj`` is one of this partnership's candidates."""
        found = self.candidates(partnership)
        if hasattr(found, "filter"):
            return bool(found.filter(pk=obj.pk).exists())
        return any(candidate.pk == obj.pk for candidate in found)


_SOURCES: dict[str, LinkSource] = {}


def register_link_source(source: LinkSource) -> None:
    _SOURCES[source.key] = source


def link_sources(purpose: str) -> list[LinkSource]:
    return [s for s in _SOURCES.values() if purpose in s.purposes]


def link_source(key: str, purpose: str) -> LinkSource | None:
    source = _SOURCES.get(key)
    return source if source is not None and purpose in source.purposes else None


def source_for(obj: Any) -> LinkSource | None:
    meta = obj._meta
    return _SOURCES.get(f"{meta.app_label}.{meta.model_name}")


@dataclass(frozen=True)
class Signal:
    """One thing the link inspector should notice, e.g. a point outside an SPC chart's limits."""

    label: str
    detail: str = ""
    url: str = ""
    on: date | None = None


SignalProvider = Callable[[Partnership], Iterable[Signal]]
_PROVIDERS: list[SignalProvider] = []


def register_signal_provider(provider: SignalProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def signals_for(partnership: Partnership) -> list[Signal]:
    found: list[Signal] = []
    for provider in _PROVIDERS:
        found.extend(provider(partnership))
    return sorted(found, key=lambda s: s.on or date.min, reverse=True)
