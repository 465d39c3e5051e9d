"""Writes to people and their access."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest

from scrutiny.accounts.models import Organisation, User
from scrutiny.errors import ServiceError


class AccountError(ServiceError):
    pass


def _clean(user: User) -> None:
    try:
        user.full_clean()
    except ValidationError as exc:
        fields = [name for name in exc.message_dict if name != NON_FIELD_ERRORS]
        field = fields[0] if len(fields) == 1 else None
        raise AccountError(" ".join(exc.messages), field=field) from None


@transaction.atomic
def person_add(
    *, email: str, full_name: str, organisation: Organisation, role: str, request: HttpRequest
) -> User:
    """Create an account and email a link to choose a password (the random one it starts with
    is never shown to anyone)."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise AccountError(f"There is already an account for {email}.", field="email")
    user = User(email=email, full_name=full_name.strip(), organisation=organisation, role=role)
    user.set_password(secrets.token_urlsafe(32))
    _clean(user)
    user.save()
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            email_template_name="accounts/email/welcome.txt",
            subject_template_name="accounts/email/welcome_subject.txt",
        )
    return user


@transaction.atomic
def person_update(*, user: User, full_name: str, role: str, is_active: bool, by: User) -> User:
    if user == by and (not is_active or role != user.role):
        raise AccountError("You cannot change your own role or deactivate yourself.")
    user.full_name = full_name.strip()
    user.role = role
    user.is_active = is_active
    _clean(user)
    user.save()
    return user
