from __future__ import annotations

from django.db import models

from scrutiny.places.reference import SCOTLAND_CODE

__all__ = ["SCOTLAND_CODE", "Area", "AreaAlias", "ComparatorGroup", "Partnership"]


class Area(models.Model):
    """A geography that figures are published for: a council area, or Scotland."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council area"
        COUNTRY = "country", "Country"

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    island = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class AreaAlias(models.Model):
    """Another way a table may name an area: a replaced code or a name variant."""

    class Kind(models.TextChoices):
        REPLACED_CODE = "replaced_code", "Replaced code"
        NAME_VARIANT = "name_variant", "Name variant"

    alias = models.CharField(max_length=100, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "area aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.area.code}"


class Partnership(models.Model):
    """A community planning partnership: one per council area."""

    area = models.OneToOneField(
        Area,
        on_delete=models.PROTECT,
        related_name="partnership",
        limit_choices_to={"kind": Area.Kind.COUNCIL},
    )
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ComparatorGroup(models.Model):
    """Councils a partnership chooses to compare itself with."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="comparator_groups"
    )
    name = models.CharField(max_length=100)
    areas = models.ManyToManyField(Area, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="comparator_group_unique")
        ]

    def __str__(self) -> str:
        return self.name
