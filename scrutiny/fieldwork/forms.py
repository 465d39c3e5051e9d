from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from scrutiny.accounts.models import Role, User
from scrutiny.fieldwork import mapping
from scrutiny.fieldwork.models import (
    AnswerType,
    ReadingPair,
    ReadingTemplate,
    SurveyInstrument,
    TemplateQuestion,
)
from scrutiny.fieldwork.services import STRATA_COLUMNS
from scrutiny.inspections.models import Inspection

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReturnUploadForm(forms.Form):
    file = forms.FileField(
        label="Pre-inspection return",
        help_text="A CSV (UTF-8 or Windows-1252) or Excel workbook (.xlsx) in the format of the "
        "template. No names, addresses, CHI numbers or full dates of birth.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    as_at = forms.DateField(
        label="As at",
        widget=DATE,
        help_text="The date the lists describe (the date agreed with the inspection team).",
    )


MARGIN_OUT_OF_RANGE = (
    "The margin of error must be more than 0 and at most 0.5 (50%), not {margin:g}."
)
CONFIDENCE_CHOICES = [("0.9", "90%"), ("0.95", "95%"), ("0.99", "99%")]


class SampleDrawForm(forms.Form):
    confidence = forms.TypedChoiceField(
        choices=CONFIDENCE_CHOICES, coerce=float, initial="0.9", label="Confidence level"
    )
    margin = forms.DecimalField(
        label="Margin of error",
        initial="0.15",
        max_digits=4,
        decimal_places=3,
        help_text="As a fraction: 0.15 is plus or minus 15 percentage points. More than 0 and at "
        "most 0.5.",
    )
    size = forms.IntegerField(
        label="Sample size",
        min_value=1,
        required=False,
        help_text="Leave empty to use the suggested size for the confidence and margin above.",
    )
    strata = forms.MultipleChoiceField(
        label="Stratify by",
        choices=list(STRATA_COLUMNS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each group is sampled in proportion to its size.",
    )
    minimum = forms.IntegerField(
        label="Minimum records per stratum",
        min_value=0,
        initial=0,
        required=False,
        help_text="Guarantees small groups are represented (the rest is shared proportionally).",
    )
    seed = forms.IntegerField(
        label="Seed",
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text="Leave empty for a fresh random draw; give the seed of an earlier draw to "
        "repeat it exactly.",
    )
    template = forms.ModelChoiceField(
        label="Reading template",
        queryset=ReadingTemplate.objects.all(),
        empty_label=None,
    )

    def clean_margin(self) -> Decimal:
        margin: Decimal = self.cleaned_data["margin"]
        # Here, not only in the service, so the message stands by the field it is about.
        if not 0 < margin <= Decimal("0.5"):
            raise forms.ValidationError(MARGIN_OUT_OF_RANGE.format(margin=float(margin)))
        return margin


class ReadingPairForm(forms.Form):
    inspector = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="Choose…")
    local_reader = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Local reader's account",
        help_text="A partnership lead or contributor. Leave empty and give a name for a reader "
        "without an account.",
    )
    local_reader_name = forms.CharField(max_length=150, required=False, label="Local reader's name")

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["inspector"]).queryset = User.objects.filter(
            inspection_roles__inspection=inspection, is_active=True
        ).distinct()
        cast(forms.ModelChoiceField, self.fields["local_reader"]).queryset = User.objects.filter(
            organisation__partnership=inspection.partnership,
            role__in=[Role.PARTNERSHIP_LEAD, Role.CONTRIBUTOR],
            is_active=True,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("local_reader") and not cleaned.get("local_reader_name", "").strip():
            raise forms.ValidationError("Choose the local reader's account, or give their name.")
        return cleaned


def moderation_count(sample_size: int) -> int:
    """The suggested number of second readings: a fifth of the sample, at least 5 (all of a
    sample smaller than that)."""
    return min(sample_size, max(5, math.ceil(sample_size / 5)))


class ModerationForm(forms.Form):
    count = forms.IntegerField(
        label="Records to read a second time",
        min_value=1,
        help_text="Chosen at random from the records read once. Suggested: a fifth of the "
        "sample, at least 5.",
    )
    seed = forms.IntegerField(label="Seed", min_value=0, required=False)


class RecordAssignForm(forms.Form):
    pair = forms.ModelChoiceField(
        queryset=ReadingPair.objects.none(), required=False, empty_label="Not assigned"
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pair"]).queryset = ReadingPair.objects.filter(
            inspection=inspection
        )


def reading_form_class(questions: list[TemplateQuestion]) -> type[forms.Form]:
    """A form with one field per template question, named by the question's key."""
    fields: dict[str, forms.Field] = {}
    for question in questions:
        common: dict[str, Any] = {
            "label": question.text,
            "help_text": question.help_text,
            "required": False,
        }
        if question.answer_type == AnswerType.FREE_TEXT:
            fields[question.key] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common
            )
        elif question.answer_type == AnswerType.NUMBER:
            fields[question.key] = forms.DecimalField(
                min_value=0, max_value=1_000_000, decimal_places=2, **common
            )
        else:
            fields[question.key] = forms.ChoiceField(
                choices=list(question.options()), widget=forms.RadioSelect, **common
            )
    return type("ReadingForm", (forms.Form,), fields)


class ReadingMetaForm(forms.Form):
    pair = forms.ModelChoiceField(
        queryset=ReadingPair.objects.none(),
        required=False,
        empty_label="No pair",
        label="Reading pair",
    )
    readers = forms.CharField(
        max_length=300,
        required=False,
        label="Read by",
        help_text="Leave empty to record the pair's names.",
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pair"]).queryset = ReadingPair.objects.filter(
            inspection=inspection
        )


class SecondReadingMetaForm(forms.Form):
    """Who made a second reading: the reader's own pair, or (for the lead inspector or an
    administrator, who must say so) another pair they record it for."""

    pair = forms.ModelChoiceField(
        queryset=ReadingPair.objects.none(),
        empty_label="Choose the pair",
        label="Reading pair",
        help_text="The pair making this second reading: not the pair that read it first.",
    )
    readers = forms.CharField(
        max_length=300,
        required=False,
        label="Read by",
        help_text="Leave empty to record the pair's names.",
    )

    def __init__(
        self,
        *args: Any,
        pairs: Any,
        on_behalf_allowed: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pair"]).queryset = pairs
        if on_behalf_allowed:
            self.fields["on_behalf"] = forms.BooleanField(
                required=False,
                label="I am recording this second reading on behalf of the pair chosen",
                help_text="Tick when you are not in that pair (for example, typing up a "
                "reading made on paper).",
            )


class TemplateLoadForm(forms.Form):
    file = forms.FileField(
        label="Template definition (JSON)",
        help_text="Download a template, change it and load it here: it becomes a new version.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
    )


class SurveyForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=SurveyInstrument.objects.all(), empty_label="Choose…", label="Survey questions"
    )
    title = forms.CharField(max_length=200)
    opens_on = forms.DateField(widget=DATE, required=False)
    closes_on = forms.DateField(widget=DATE, required=False)


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label="Responses (CSV export)",
        help_text="The survey tool's export: one row per response, one column per question, and "
        "a column for when each response was submitted.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )


class ColumnMappingForm(forms.Form):
    day_first = forms.TypedChoiceField(
        label="Dates in the file",
        choices=[("1", "Day first (31/01/2026), as in the UK"), ("0", "Month first (01/31/2026)")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        questions: list[mapping.Question],
        initial_mapping: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (mapping.IGNORE, "Ignore this column"),
            (mapping.SUBMITTED, "When the response was submitted"),
            (mapping.RESPONSE_ID, "The response's ID (to skip responses already imported)"),
            *[(q.key, q.text) for q in questions],
        ]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"Column {index + 1}: {header}",
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, mapping.IGNORE),
            )

    def column_mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"column_{index}", mapping.IGNORE) or mapping.IGNORE
            for index, header in enumerate(self.headers)
        }


def today() -> Any:
    return timezone.localdate()
