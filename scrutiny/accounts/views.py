from __future__ import annotations

import base64
import io
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.accounts import selectors, services
from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.accounts.forms import (
    AuditFilterForm,
    PersonForm,
    PersonUpdateForm,
    SignInForm,
    TokenForm,
)
from scrutiny.accounts.models import User

LOCKED_OUT = (
    "Too many failed sign-in attempts. This account is locked for 15 minutes; "
    "try again after that, or reset your password."
)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    form = SignInForm(request)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "locked_out_message": LOCKED_OUT},
        status=429,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("frontend:home")


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@login_required
def two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Set up (first time) or check a TOTP code, then continue to where the user was going."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Too many wrong codes in a row: wait a minute, then try again.")
        elif device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return redirect(next_url or "frontend:home")
        else:
            form.add_error(
                "token", "That code is not right, or has expired. Enter the current code."
            )
    context: dict[str, Any] = {"form": form, "setting_up": setting_up, "next": next_url}
    if setting_up:
        context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
        context["qr_svg"] = _qr_svg(device.config_url)
    return render(request, "accounts/two_factor.html", context)


def _filtered(request: HttpRequest, entries_for: Any) -> dict[str, Any]:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {"partnership": None, "date_from": None, "date_to": None}
    if form.is_bound and form.is_valid():
        filters.update(form.cleaned_data)
    page = Paginator(entries_for(**filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@login_required
def audit(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "accounts.view_audit")
    context = _filtered(request, selectors.audit_entries)
    context["rows"] = selectors.audit_rows(entries=context["page"])
    return render(request, "accounts/audit.html", context)


@login_required
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "accounts.view_access_log")
    return render(
        request, "accounts/access_log.html", _filtered(request, selectors.access_log_entries)
    )


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "accounts.manage_people")
    users = User.objects.select_related("organisation").order_by(
        "organisation__kind", "organisation__name", "full_name"
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/people.html", {"page": page, "q": query})


@login_required
def person_add(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "accounts.manage_people")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.person_add(request=request, **form.cleaned_data)
        except services.AccountError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(
                request,
                f"Account made for {user.email}; they have been emailed a link to choose a "
                "password.",
            )
            return redirect("accounts:people")
    return render(request, "accounts/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request, "accounts.manage_people")
    person = get_object_or_404(User, pk=pk)
    form = PersonUpdateForm(
        request.POST or None,
        initial={"full_name": person.full_name, "role": person.role, "is_active": person.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(user=person, by=request.user, **form.cleaned_data)
        except services.AccountError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"{person.full_name}'s account is saved.")
            return redirect("accounts:people")
    return render(request, "accounts/person_form.html", {"form": form, "person": person})
