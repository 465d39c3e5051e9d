from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from scrutiny.inspections.models import Inspection


class ReportVersion(models.Model):
    """A published report, frozen. A correction publishes a new version with a visible note."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="report_versions"
    )
    number = models.PositiveSmallIntegerField()
    html = models.TextField()
    pdf = models.BinaryField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    correction_note = models.TextField(blank=True)
    # The version for children and young people, frozen with the report (empty when none).
    young_html = models.TextField(blank=True, default="")
    young_pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspection} (version {self.number})"

    @property
    def published_on(self) -> date:
        return timezone.localdate(self.published_at)
