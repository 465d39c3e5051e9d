from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from scrutiny.places.models import Partnership


class Role(models.TextChoices):
    LEAD_INSPECTOR = "lead_inspector", "Lead inspector"
    INSPECTOR = "inspector", "Inspector"
    LINK_INSPECTOR = "link_inspector", "Link inspector"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    ADMINISTRATOR = "administrator", "Administrator"
    PARTNERSHIP_LEAD = "partnership_lead", "Partnership lead"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


INSPECTORATE_ROLES = frozenset(
    {
        Role.LEAD_INSPECTOR,
        Role.INSPECTOR,
        Role.LINK_INSPECTOR,
        Role.QUALITY_ASSURANCE,
        Role.ADMINISTRATOR,
    }
)
PARTNERSHIP_ROLES = frozenset({Role.PARTNERSHIP_LEAD, Role.CONTRIBUTOR, Role.VIEWER})


class Organisation(models.Model):
    """The inspectorate, or one partnership's staff."""

    class Kind(models.TextChoices):
        INSPECTORATE = "inspectorate", "Inspectorate"
        PARTNERSHIP = "partnership", "Partnership"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="inspectorate", partnership__isnull=True)
                    | models.Q(kind="partnership", partnership__isnull=False)
                ),
                name="organisation_partnership_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMINISTRATOR)
        if "organisation" not in extra:
            extra["organisation"], _ = Organisation.objects.get_or_create(
                name=INSPECTORATE_NAME, defaults={"kind": Organisation.Kind.INSPECTORATE}
            )
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.organisation_id is None:
            return
        if self.organisation.kind == Organisation.Kind.INSPECTORATE:
            if self.role not in INSPECTORATE_ROLES:
                raise ValidationError({"role": "Inspectorate staff need an inspectorate role."})
        elif self.role not in PARTNERSHIP_ROLES:
            raise ValidationError({"role": "Partnership staff need a partnership role."})

    @property
    def is_inspectorate(self) -> bool:
        return self.role in INSPECTORATE_ROLES

    @property
    def partnership_id(self) -> int | None:
        if self.role in PARTNERSHIP_ROLES:
            return self.organisation.partnership_id
        return None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class LinkAssignment(models.Model):
    """A link inspector follows a partnership between inspections."""

    inspector = models.ForeignKey(User, on_delete=models.PROTECT, related_name="link_assignments")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="link_assignments"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership__name", "-started_on"]

    def __str__(self) -> str:
        return f"{self.inspector} → {self.partnership}"

    def clean(self) -> None:
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date."})
        # Checked when an assignment is made: ending one held by someone whose role has since
        # changed must stay possible (the assignment gives them nothing meanwhile).
        if self._state.adding and self.inspector_id and self.inspector.role != Role.LINK_INSPECTOR:
            raise ValidationError(
                {"inspector": "Only people with the link inspector role can be link inspectors."}
            )


class AccessLogEntry(models.Model):
    """Who opened a page or export showing child-level data."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    path = models.CharField(max_length=500)
    what = models.CharField(max_length=200)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.what}"


INSPECTORATE_NAME = "Care Inspectorate"


def ensure_organisations(organisation_model: Any, partnership_model: Any) -> None:
    """The inspectorate, and one organisation per partnership (a data migration uses this)."""
    organisation_model.objects.get_or_create(
        name=INSPECTORATE_NAME, defaults={"kind": "inspectorate"}
    )
    for partnership in partnership_model.objects.all():
        organisation_model.objects.get_or_create(
            partnership=partnership, defaults={"name": partnership.name, "kind": "partnership"}
        )
