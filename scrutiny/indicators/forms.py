from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone

from scrutiny.indicators.models import ChartType, Direction, Frequency, Indicator, Unit
from scrutiny.places.models import Area

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD = 20 * 1024 * 1024
TOO_BIG = "The file is larger than 20 MB."


def _checked(upload: Any) -> Any:
    if upload is not None and upload.size > MAX_UPLOAD:
        raise forms.ValidationError(TOO_BIG)
    return upload


class CatalogueForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "title",
            "theme",
            "definition",
            "numerator",
            "denominator",
            "unit",
            "improvement",
            "frequency",
            "source",
            "chart",
            "is_active",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}


class LocalIndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "title",
            "definition",
            "numerator",
            "denominator",
            "unit",
            "improvement",
            "frequency",
            "chart",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "chart": "XmR suits most measures. A p-chart needs a numerator and denominator for "
            "every period (percentages); a u-chart the same for rates.",
            "frequency": "How often a value is recorded: it sets how periods are written "
            "(2024, 2024-Q1 or 2024-04).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].initial = Unit.NUMBER
        self.fields["improvement"].initial = Direction.NEUTRAL
        self.fields["frequency"].initial = Frequency.QUARTERLY
        self.fields["chart"].initial = ChartType.XMR


class LocalValueForm(forms.Form):
    period = forms.CharField(max_length=10, help_text="For example 2024, 2024-Q1 or 2024-04.")
    value = forms.FloatField(
        required=False, help_text="Leave blank to work it out from the numerator and denominator."
    )
    numerator = forms.FloatField(required=False, min_value=0)
    denominator = forms.FloatField(required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        if data.get("value") is None and (
            data.get("numerator") is None or not data.get("denominator")
        ):
            raise forms.ValidationError(
                "Give the value, or a numerator and a denominator to work it out from."
            )
        return data


class LocalUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row period,value (numerator and denominator optional), then one "
        "row per period.",
    )

    def clean_file(self) -> Any:
        return _checked(self.cleaned_data.get("file"))


class CubeImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A statistics.gov.scot cube download (FeatureCode, DateCode, Measurement, "
        "Units, Value and dimension columns) or its data.gov.scot copy.",
    )
    title = forms.CharField(
        max_length=250, help_text="The publication, e.g. Children's Social Work Statistics 2023-24."
    )
    vintage = forms.DateField(
        widget=DATE, help_text="When these figures were published (or downloaded)."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vintage"].initial = timezone.localdate()

    def clean_file(self) -> Any:
        return _checked(self.cleaned_data.get("file"))


class ChildLevelForm(forms.Form):
    looked_after = forms.FileField(label="looked_after.csv", help_text="One row per placement.")
    child_protection = forms.FileField(
        label="child_protection.csv", help_text="One row per registration."
    )
    population = forms.FileField(label="population.csv", help_text="Children aged 0 to 17.")
    title = forms.CharField(max_length=250, help_text="How this batch of figures will be named.")
    vintage = forms.DateField(widget=DATE, help_text="The date of the data extract.")
    drop_invalid = forms.BooleanField(
        required=False,
        label="Leave out rows with problems",
        help_text="Otherwise any problem refuses the files and nothing is stored.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vintage"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        for name in ("looked_after", "child_protection", "population"):
            upload = data.get(name)
            if upload is not None and upload.size > 500 * 1024 * 1024:
                self.add_error(name, "The file is larger than 500 MB.")
        return data


class ComparatorGroupForm(forms.Form):
    name = forms.CharField(max_length=100)
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Councils",
        help_text="Choose the councils to compare with.",
    )

    def __init__(self, *args: Any, exclude: Area | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = Area.objects.filter(kind=Area.Kind.COUNCIL).order_by("name")
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        cast(forms.ModelMultipleChoiceField, self.fields["areas"]).queryset = queryset


class TargetForm(forms.Form):
    target = forms.FloatField(
        required=False, help_text="Leave blank for no target. It gives the chart an assurance icon."
    )


class RebaseForm(forms.Form):
    period = forms.ChoiceField(label="Recalculate the centre line and limits from")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "The change in the process that starts in this period (a new service, a new "
            "definition). Recalculate only after a sustained change with a known cause."
        ),
    )

    def __init__(self, *args: Any, periods: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["period"])
        field.choices = [("", "Choose a period"), *((p, p) for p in periods)]


class BaselineForm(forms.Form):
    points = forms.IntegerField(
        required=False,
        min_value=2,
        label="Fix the limits on the first points",
        help_text=(
            "The number of points, from the start of each group, that set its centre line and "
            "limits; later points are judged against them. Leave blank to use every point."
        ),
    )


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.inspection.title})"


class AreaLinkForm(forms.Form):
    area = AreaChoiceField(queryset=Area.objects.none(), label="Area for improvement")

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = queryset


class ActionLinkForm(forms.Form):
    action = forms.TypedChoiceField(coerce=int, label="Action in the action plan", choices=())

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["action"]).choices = [
            (action.pk, str(action)) for action in actions
        ]
