from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, log_child_level_access, require
from scrutiny.improvement import services as improvement_services
from scrutiny.improvement.services import ImprovementError
from scrutiny.indicators import disclosure, selectors, services
from scrutiny.indicators.forms import (
    ActionLinkForm,
    AreaLinkForm,
    BaselineForm,
    CatalogueForm,
    ChildLevelForm,
    ComparatorGroupForm,
    CubeImportForm,
    LocalIndicatorForm,
    LocalUploadForm,
    LocalValueForm,
    RebaseForm,
    TargetForm,
)
from scrutiny.indicators.models import (
    ChildLevelRun,
    Indicator,
    IndicatorLink,
    IndicatorSeries,
    Rebase,
)
from scrutiny.indicators.services import IndicatorError
from scrutiny.places.models import ComparatorGroup, Partnership


def _partnership(request: HttpRequest, slug: str, permission: str) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.select_related("area"), slug=slug)
    require(request, permission, partnership)
    return partnership


def _indicator(partnership: Partnership, key: str) -> Indicator:
    indicator = get_object_or_404(Indicator, key=key)
    if indicator.partnership_id not in (None, partnership.pk):
        raise Http404
    return indicator


def _local(partnership: Partnership, key: str) -> Indicator:
    return get_object_or_404(Indicator, key=key, partnership=partnership)


def _refuse(form: Any, exc: IndicatorError) -> None:
    """Show each line of the message (a file's problems are listed one a line)."""
    for line in str(exc).splitlines():
        form.add_error(None, line)


def _can(request: HttpRequest, partnership: Partnership) -> dict[str, bool]:
    user = request.user
    return {
        "can_change": user.has_perm("indicators.change_partnership_data", partnership),
        "can_link": user.has_perm("indicators.link_indicator", partnership),
        "can_link_actions": user.has_perm("improvement.update_action", partnership),
    }


# --- the catalogue (public) --------------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.filter(partnership__isnull=True).order_by("order", "title")
    themes: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        themes.setdefault(indicator.theme or "Other", []).append(indicator)
    return render(
        request,
        "indicators/catalogue.html",
        {
            "themes": list(themes.items()),
            "can_edit": request.user.has_perm("indicators.change_catalogue"),
            "can_import": request.user.has_perm("indicators.import_data"),
        },
    )


def definition(request: HttpRequest, key: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("partnership"), key=key)
    # A local measure is not found by anyone who may not see it: a 403 would confirm that the
    # other partnership has such a measure.
    if indicator.partnership is not None and not request.user.has_perm(
        "indicators.view_dashboard", indicator.partnership
    ):
        raise Http404
    return render(
        request,
        "indicators/definition.html",
        {
            "indicator": indicator,
            "can_edit": indicator.partnership is None
            and request.user.has_perm("indicators.change_catalogue"),
        },
    )


@login_required
def catalogue_edit(request: AuthenticatedRequest, key: str) -> HttpResponse:
    require(request, "indicators.change_catalogue")
    indicator = get_object_or_404(Indicator, key=key, partnership__isnull=True)
    form = CatalogueForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, data=form.cleaned_data)
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"{indicator.title}: saved.")
            return redirect("indicators:definition", indicator.key)
    return render(request, "indicators/catalogue_edit.html", {"indicator": indicator, "form": form})


# --- national figures: imports -------------------------------------------------------------------


@login_required
def imports(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "indicators.import_data")
    return render(
        request,
        "indicators/imports.html",
        {
            "publications": selectors.publications()[:50],
            "runs": ChildLevelRun.objects.select_related("created_by")[:20],
            "can_upload_child_level": request.user.has_perm("indicators.upload_child_level"),
        },
    )


@login_required
def import_cube(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "indicators.import_data")
    form = CubeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            publication = services.cube_import(
                content=upload.read(),
                file_name=upload.name,
                title=form.cleaned_data["title"],
                vintage=form.cleaned_data["vintage"],
                by=request.user,
            )
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Imported {publication.rows:,} values: {publication}.")
            return redirect("indicators:imports")
    return render(request, "indicators/import_cube.html", {"form": form})


@login_required
def import_child_level(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "indicators.upload_child_level")
    form = ChildLevelForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        log_child_level_access(request, what="Uploaded child-level files for computation")
        try:
            run = services.child_level_run_start(
                files=services.ChildLevelUpload(
                    looked_after=data["looked_after"],
                    child_protection=data["child_protection"],
                    population=data["population"],
                ),
                title=data["title"],
                vintage=data["vintage"],
                drop_invalid=data["drop_invalid"],
                by=request.user,
            )
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, "The files were received and are being computed.")
            return redirect("indicators:child-level-run", run.pk)
    return render(request, "indicators/import_child_level.html", {"form": form})


@login_required
def child_level_run(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request, "indicators.upload_child_level")
    run = get_object_or_404(
        ChildLevelRun.objects.select_related("publication", "created_by"), pk=pk
    )
    if run.status == ChildLevelRun.Status.FAILED or (run.publication and run.publication.note):
        # The problem listing (refused files, or rows left out) quotes the files' values.
        log_child_level_access(request, what=f"Problems found in child-level upload {run.pk}")
    return render(request, "indicators/child_level_run.html", {"run": run})


# --- a partnership's dashboard ------------------------------------------------------------------


@login_required
def dashboard(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.view_dashboard")
    board = selectors.dashboard(partnership=partnership, group_id=request.GET.get("group"))
    return render(
        request,
        "indicators/dashboard.html",
        {
            "partnership": partnership,
            "board": board,
            "download_rules": disclosure.download_statements(),
            **_can(request, partnership),
        },
    )


EXPORT_COLUMNS = (
    "area_code",
    "area",
    "indicator",
    "title",
    "unit",
    "period",
    "value",
    "note",
    "source",
)


def _csv_response(name: str, rows: list[selectors.ExportRow]) -> HttpResponse:
    """A tidy CSV: one header row, then one row per value (no notes below the data, which would
    break loading it into a spreadsheet or R). Each row says why a value is suppressed, and where
    it comes from; the rules are on the page that offers the download. The file is named with
    the day it was made."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([getattr(row, column) for column in EXPORT_COLUMNS])
    return response


@login_required
def dashboard_csv(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.view_dashboard")
    group = selectors.comparator_choose(partnership=partnership, group_id=request.GET.get("group"))
    rows, _ = selectors.export_rows(
        partnership=partnership,
        indicators=selectors.dashboard_indicators(partnership=partnership),
        group=group,
    )
    return _csv_response(f"{partnership.slug}-indicators", rows)


@login_required
def chart(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.view_dashboard")
    indicator = _indicator(partnership, key)
    page = selectors.chart_page(
        partnership=partnership, indicator=indicator, group_id=request.GET.get("group")
    )
    can = _can(request, partnership)
    context: dict[str, Any] = {
        "partnership": partnership,
        "page": page,
        "download_rules": disclosure.download_statements(),
        **can,
    }
    if can["can_link"]:
        context["area_form"] = AreaLinkForm(
            queryset=selectors.partnership_areas_for_improvement(partnership=partnership)
        )
    if can["can_link_actions"]:
        actions = selectors.partnership_actions(partnership=partnership)
        context["action_form"] = ActionLinkForm(actions=actions) if actions else None
    if can["can_change"]:
        target = page.chart.series.target if page.chart.series else None
        context["target_form"] = TargetForm(initial={"target": target})
        context["rebase_form"] = RebaseForm(periods=page.rebase_choices)
        baseline = page.chart.series.baseline_points if page.chart.series else None
        context["baseline_form"] = BaselineForm(initial={"points": baseline})
    return render(request, "indicators/chart.html", context)


@login_required
def chart_csv(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.view_dashboard")
    indicator = _indicator(partnership, key)
    group = selectors.comparator_choose(partnership=partnership, group_id=request.GET.get("group"))
    rows, _ = selectors.export_rows(partnership=partnership, indicators=[indicator], group=group)
    # A local measure's key already starts with the partnership's name.
    name = indicator.key if indicator.is_local else f"{partnership.slug}-{indicator.key}"
    return _csv_response(name, rows)


def _series(partnership: Partnership, key: str) -> IndicatorSeries:
    return services.series_ensure(partnership=partnership, indicator=_indicator(partnership, key))


@login_required
@require_POST
def target(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    series = _series(partnership, key)
    form = TargetForm(request.POST)
    if form.is_valid():
        services.series_target_set(series=series, target=form.cleaned_data["target"])
        messages.success(request, "Target saved.")
    else:
        messages.error(request, "The target must be a number (or blank for none).")
    return redirect(series.get_absolute_url())


@login_required
@require_POST
def rebase_add(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    series = _series(partnership, key)
    form = RebaseForm(request.POST, periods=selectors.charted_periods(series=series)[1:])
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label or field.capitalize()
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect(series.get_absolute_url())
    try:
        services.series_rebase_add(
            series=series,
            period=form.cleaned_data["period"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except IndicatorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The centre line and limits are recalculated from {form.cleaned_data['period']}.",
        )
    return redirect(series.get_absolute_url())


@login_required
@require_POST
def rebase_delete(request: AuthenticatedRequest, slug: str, key: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    series = _series(partnership, key)
    rebase = get_object_or_404(Rebase, pk=pk, series=series)
    services.series_rebase_remove(rebase=rebase)
    messages.success(request, f"The limits are no longer recalculated from {rebase.period}.")
    return redirect(series.get_absolute_url())


@login_required
@require_POST
def baseline(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    series = _series(partnership, key)
    form = BaselineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The baseline must be a whole number of at least 2, or blank.")
        return redirect(series.get_absolute_url())
    try:
        services.series_baseline_set(series=series, points=form.cleaned_data["points"])
    except IndicatorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Baseline saved.")
    return redirect(series.get_absolute_url())


@login_required
@require_POST
def link_area(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.link_indicator")
    series = _series(partnership, key)
    form = AreaLinkForm(
        request.POST, queryset=selectors.partnership_areas_for_improvement(partnership=partnership)
    )
    if form.is_valid():
        try:
            services.indicator_link_area_add(
                series=series, area=form.cleaned_data["area"], by=request.user
            )
        except IndicatorError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Linked to the area for improvement.")
    else:
        messages.error(request, "Choose one of the partnership's areas for improvement.")
    return redirect(series.get_absolute_url())


@login_required
@require_POST
def link_action(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """Name this chart as a measure of an action's success: the action's own measure (so the
    action plan shows it too), with the permission the action's page asks for."""
    partnership = _partnership(request, slug, "improvement.update_action")
    series = _series(partnership, key)
    actions = selectors.partnership_actions(partnership=partnership)
    form = ActionLinkForm(request.POST, actions=actions)
    if form.is_valid():
        action = next(a for a in actions if a.pk == form.cleaned_data["action"])
        try:
            improvement_services.measure_link_add(
                action=action, obj=series, note="", by=request.user
            )
        except ImprovementError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Linked to action {action.number} as a measure of its success."
            )
    else:
        messages.error(request, "Choose one of the partnership's actions.")
    return redirect(series.get_absolute_url())


@login_required
@require_POST
def link_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.link_indicator")
    link = get_object_or_404(
        IndicatorLink.objects.select_related("series__indicator", "series__partnership"),
        pk=pk,
        series__partnership=partnership,
    )
    url = link.series.get_absolute_url()
    services.indicator_link_delete(link=link)
    messages.success(request, "Link removed.")
    return redirect(url)


# --- comparator groups -------------------------------------------------------------------------


@login_required
def comparators(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.view_dashboard")
    return render(
        request,
        "indicators/comparators.html",
        {
            "partnership": partnership,
            "groups": selectors.comparator_groups(partnership=partnership),
            **_can(request, partnership),
        },
    )


@login_required
def comparator_edit(
    request: AuthenticatedRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    group = get_object_or_404(ComparatorGroup, pk=pk, partnership=partnership) if pk else None
    initial = {"name": group.name, "areas": list(group.areas.all())} if group else None
    form = ComparatorGroupForm(request.POST or None, initial=initial, exclude=partnership.area)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.comparator_group_save(
                partnership=partnership,
                name=form.cleaned_data["name"],
                areas=form.cleaned_data["areas"],
                group=group,
            )
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Comparator group {saved.name!r} saved.")
            return redirect("indicators:comparators", partnership.slug)
    return render(
        request,
        "indicators/comparator_edit.html",
        {"partnership": partnership, "group": group, "form": form},
    )


@login_required
@require_POST
def comparator_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    group = get_object_or_404(ComparatorGroup, pk=pk, partnership=partnership)
    services.comparator_group_delete(group=group)
    messages.success(request, f"Comparator group {group.name!r} removed.")
    return redirect("indicators:comparators", partnership.slug)


# --- local measures ------------------------------------------------------------------------------


@login_required
def local_edit(request: AuthenticatedRequest, slug: str, key: str | None = None) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    indicator = _local(partnership, key) if key else None
    form = LocalIndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            if indicator is None:
                indicator = services.local_indicator_create(
                    partnership=partnership, by=request.user, **form.cleaned_data
                )
            else:
                services.local_indicator_update(indicator=indicator, data=form.cleaned_data)
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Local measure {indicator.title!r} saved.")
            return redirect("indicators:local-values", partnership.slug, indicator.key)
    return render(
        request,
        "indicators/local_edit.html",
        {"partnership": partnership, "indicator": indicator, "form": form},
    )


@login_required
def local_values(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    indicator = _local(partnership, key)
    form = LocalValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.local_values_enter(
                indicator=indicator,
                values=[
                    services.LocalValue(
                        period=data["period"],
                        value=data["value"],
                        numerator=data["numerator"],
                        denominator=data["denominator"],
                    )
                ],
                by=request.user,
            )
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, "Value saved.")
            return redirect("indicators:local-values", partnership.slug, indicator.key)
    return render(
        request,
        "indicators/local_values.html",
        {
            "partnership": partnership,
            "indicator": indicator,
            "form": form,
            "upload_form": LocalUploadForm(),
            "points": selectors.local_values(indicator=indicator, partnership=partnership),
        },
    )


@login_required
def local_upload(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    partnership = _partnership(request, slug, "indicators.change_partnership_data")
    indicator = _local(partnership, key)
    form = LocalUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            publication = services.local_values_upload(
                indicator=indicator, content=upload.read(), file_name=upload.name, by=request.user
            )
        except IndicatorError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Uploaded {publication.rows} values.")
            return redirect("indicators:local-values", partnership.slug, indicator.key)
    return render(
        request,
        "indicators/local_upload.html",
        {"partnership": partnership, "indicator": indicator, "upload_form": form},
    )


# --- public pages ----------------------------------------------------------------------------


def _public_partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("area"), slug=slug)


def public(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _public_partnership(slug)
    return render(
        request,
        "indicators/public.html",
        {"partnership": partnership, "page": selectors.public_indicators(partnership=partnership)},
    )


def public_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _public_partnership(slug)
    indicators = [
        i for i in selectors.dashboard_indicators(partnership=partnership) if not i.is_local
    ]
    rows, _ = selectors.export_rows(partnership=partnership, indicators=indicators, group=None)
    return _csv_response(f"{partnership.slug}-published-indicators", rows)
