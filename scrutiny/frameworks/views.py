from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.frameworks import services
from scrutiny.frameworks.models import Framework, Group, QualityIndicator


class QIForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none())
    number = forms.CharField(
        max_length=10, required=False, help_text="Leave empty if none is published."
    )
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evaluated_in = forms.CharField(
        label="Graded in inspection models",
        max_length=3,
        required=False,
        help_text="Letters of the models that grade this QI, e.g. C.",
    )
    verified = forms.BooleanField(label="Checked against a published source", required=False)

    def __init__(
        self, *args: object, framework: Framework, editing: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:
            del self.fields["group"]
        else:
            cast(
                forms.ModelChoiceField, self.fields["group"]
            ).queryset = framework.current_version.groups.all()


@login_required
def framework_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "frameworks.view_framework")
    return render(request, "frameworks/list.html", {"frameworks": Framework.objects.all()})


@login_required
def framework_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request, "frameworks.view_framework")
    framework = get_object_or_404(Framework, slug=slug)
    version = framework.current_version
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "version": version,
            "groups": version.groups.prefetch_related("qis"),
            "versions": framework.versions.order_by("-number"),
            "can_edit": request.user.has_perm("frameworks.change_framework"),
        },
    )


@login_required
def qi_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request, "frameworks.change_framework")
    framework = get_object_or_404(Framework, slug=slug)
    form = QIForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.qi_add(framework=framework, by=request.user, **form.cleaned_data)
        except services.FrameworkError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Quality indicator added in a new version of the framework.")
            return redirect("frameworks:detail", framework.slug)
    return render(
        request, "frameworks/qi_form.html", {"framework": framework, "form": form, "qi": None}
    )


@login_required
def qi_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    require(request, "frameworks.change_framework")
    framework = get_object_or_404(Framework, slug=slug)
    qi = get_object_or_404(QualityIndicator, pk=pk, version=framework.current_version)
    initial = {
        "number": qi.number,
        "title": qi.title,
        "description": qi.description,
        "evaluated_in": qi.evaluated_in,
        "verified": qi.verified,
    }
    form = QIForm(request.POST or None, initial=initial, framework=framework, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.qi_update(qi=qi, by=request.user, **form.cleaned_data)
        except services.FrameworkError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(
                request, "Quality indicator changed in a new version of the framework."
            )
            return redirect("frameworks:detail", framework.slug)
    return render(
        request, "frameworks/qi_form.html", {"framework": framework, "form": form, "qi": qi}
    )
