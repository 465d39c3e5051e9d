from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from scrutiny.accounts.models import Organisation, Role, User
from scrutiny.places.models import Partnership

SIGN_IN_FAILED = (
    "Enter a correct email address and password. Both are case-sensitive apart from the email."
)


class SignInForm(AuthenticationForm):
    """Email and password; the error never says whether the email exists."""

    error_messages = {
        "invalid_login": SIGN_IN_FAILED,
        "inactive": SIGN_IN_FAILED,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "class": "ds_input"}
        )
        self.fields["password"].widget.attrs.update({"class": "ds_input"})

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "ds_input"}
        ),
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).strip()
        if not token.isdigit():
            raise forms.ValidationError("The code is six digits, 0 to 9.")
        return token


class AuditFilterForm(forms.Form):
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.all(), required=False, empty_label="All partnerships"
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError("The 'To' date must be on or after the 'From' date.")
        return cleaned


EMAIL_MAX = User._meta.get_field("email").max_length or 254
NAME_MAX = User._meta.get_field("full_name").max_length or 150
EMAIL_TOO_LONG = (
    "Enter an email address of at most %(limit_value)d characters (this one has %(show_value)d)."
)
NAME_TOO_LONG = (
    "Enter a full name of at most %(limit_value)d characters (this one has %(show_value)d)."
)


def _full_name() -> forms.CharField:
    return forms.CharField(max_length=NAME_MAX, error_messages={"max_length": NAME_TOO_LONG})


class PersonForm(forms.Form):
    # The account's limit, not the form field's default of 320: the browser stops at the same
    # length the account can keep, and a longer address is explained here.
    email = forms.EmailField(
        label="Email address", max_length=EMAIL_MAX, error_messages={"max_length": EMAIL_TOO_LONG}
    )
    full_name = _full_name()
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    role = forms.ChoiceField(choices=Role.choices)


class PersonUpdateForm(forms.Form):
    full_name = _full_name()
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(label="Can sign in", required=False)
