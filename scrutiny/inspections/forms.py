from __future__ import annotations

from typing import Any, cast

from django import forms

from scrutiny.accounts.models import INSPECTORATE_ROLES, Role, User
from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections.models import (
    KEY_DATES,
    RECORDED_DATES,
    REPORT_TEXT_FIELDS,
    EvidenceItem,
    FactualAccuracyComment,
    Inspection,
    Model,
    QASignOff,
    TeamMember,
)
from scrutiny.inspections.services import GRADE_RANGE
from scrutiny.places.models import Partnership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KEY_DATE_FIELDS = [name for name, _ in KEY_DATES]


class QIChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class InspectionCreateForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.all())
    title = forms.CharField(max_length=250)
    model = forms.ChoiceField(choices=Model.choices)
    lead_inspector = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=INSPECTORATE_ROLES, is_active=True),
        help_text="Inspectorate staff only.",
    )
    notification_date = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lead_inspector"]).queryset = User.objects.filter(
            role__in=[Role.LEAD_INSPECTOR, Role.INSPECTOR], is_active=True
        )


class InspectionEditForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["title", *KEY_DATE_FIELDS, *REPORT_TEXT_FIELDS]
        widgets = {
            **dict.fromkeys(KEY_DATE_FIELDS, DATE),
            "progress_review_due": DATE,
            "context": forms.Textarea(attrs={"rows": 6}),
            "conclusion": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "young_people_working_well": forms.Textarea(attrs={"rows": 5}),
            "young_people_get_better": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The day the draft was sent and the day of publication are facts once they happen.
        for name, status in RECORDED_DATES.items():
            if self.instance.status_reached(status) and getattr(self.instance, name):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Recorded by Scrutiny when it happened."


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=INSPECTORATE_ROLES, is_active=True),
        required=False,
        help_text="Inspectorate staff with a Scrutiny account. Leave empty for an associate "
        "assessor or young inspection volunteer without one, and give their name.",
    )
    name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=TeamMember.Role.choices)
    scrutiny_body = forms.CharField(max_length=150, initial="Care Inspectorate")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("user") and not cleaned.get("name", "").strip():
            raise forms.ValidationError("Choose a person with an account, or give a name.")
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="Type of evidence", choices=EvidenceItem.Kind.choices)
    date = forms.DateField(widget=DATE)
    source = forms.CharField(max_length=200, help_text="Who or what it came from.")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    qis = QIChoiceField(
        label="Quality indicators it is evidence for", queryset=QualityIndicator.objects.none()
    )
    attachments = MultipleFileField(
        label="Attach files",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, CSV, text or images. Files are kept privately "
        "and only shown to people with access to this inspection.",
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["qis"]
        ).queryset = inspection.framework_version.qis.all()


GRADE_CHOICES = [
    ("", "No grade yet"),
    ("6", "6 Excellent"),
    ("5", "5 Very good"),
    ("4", "4 Good"),
    ("3", "3 Adequate"),
    ("2", "2 Weak"),
    ("1", "1 Unsatisfactory"),
]


class EvaluationForm(forms.Form):
    grade = forms.TypedChoiceField(
        choices=GRADE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": GRADE_RANGE},
    )
    narrative = forms.CharField(
        label="Evaluative narrative", widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    evidence = forms.ModelMultipleChoiceField(
        label="Evidence this evaluation rests on",
        queryset=EvidenceItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["evidence"]
        ).queryset = inspection.evidence.all()


class KeyStrengthForm(forms.Form):
    text = forms.CharField(label="Key strength", widget=forms.Textarea(attrs={"rows": 3}))


class AreaForImprovementForm(forms.Form):
    title = forms.CharField(max_length=250)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    qis = QIChoiceField(
        label="Quality indicators it relates to", queryset=QualityIndicator.objects.none()
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["qis"]
        ).queryset = inspection.evaluated_qis()


class GoodPracticeForm(forms.Form):
    title = forms.CharField(max_length=250)
    text = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 4}))


class QASignOffForm(forms.Form):
    decision = forms.ChoiceField(choices=QASignOff.Decision.choices, widget=forms.RadioSelect)
    comments = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class FactualAccuracyCommentForm(forms.Form):
    section = forms.ChoiceField(label="Section of the draft report")
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section"]).choices = sections


class FactualAccuracyResponseForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (FactualAccuracyComment.Response.ACCEPTED, "Accept"),
            (FactualAccuracyComment.Response.DECLINED, "Decline"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
