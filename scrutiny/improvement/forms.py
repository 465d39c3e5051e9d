from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

from django import forms

from scrutiny.accounts.models import INSPECTORATE_ROLES, Role, User
from scrutiny.improvement.models import (
    ActionPlan,
    Concern,
    Contact,
    ProgressLevel,
    ProgressReview,
    ProgressReviewSignOff,
    RagChoice,
    date_problem,
)
from scrutiny.improvement.selectors import CandidateGroup
from scrutiny.improvement.services import MILESTONE_NEEDS_TITLE
from scrutiny.inspections.forms import DATE, MultipleFileField
from scrutiny.inspections.models import AreaForImprovement, TeamMember
from scrutiny.places.models import Partnership


def happened(what: str) -> Callable[[date], None]:
    """A date field's check that its day has happened (the rule of ``date_problem``), with a
    message naming the field."""

    def check(day: date) -> None:
        problem = date_problem(day, what)
        if problem is not None:
            raise forms.ValidationError(problem)

    return check


class AreaChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


class ActionForm(forms.Form):
    title = forms.CharField(label="What will be done", max_length=250)
    description = forms.CharField(
        label="Detail", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    areas = AreaChoiceField(
        label="Areas for improvement it addresses",
        queryset=AreaForImprovement.objects.none(),
        error_messages={"required": "Link the action to at least one area for improvement."},
    )
    owner_user = forms.ModelChoiceField(
        label="Owner with a Scrutiny account",
        queryset=User.objects.none(),
        required=False,
        help_text="Or leave empty and give the owner's name and email below.",
    )
    owner_name = forms.CharField(label="Owner's name", max_length=150, required=False)
    owner_email = forms.EmailField(
        label="Owner's email", required=False, help_text="Reminders are sent here."
    )
    lead_agency = forms.CharField(max_length=150, help_text="For example: South Ayrshire Council.")
    start_date = forms.DateField(widget=DATE)
    due_date = forms.DateField(widget=DATE)
    stated_measure = forms.CharField(
        label="How success will be measured",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="In words. Indicators and qualitative themes can be linked on the action's page.",
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["areas"]
        ).queryset = plan.inspection.areas_for_improvement.all()
        cast(forms.ModelChoiceField, self.fields["owner_user"]).queryset = User.objects.filter(
            organisation__partnership=plan.partnership, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be on or after the start date.")
        return cleaned


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="Milestone",
        max_length=250,
        error_messages={"required": MILESTONE_NEEDS_TITLE},
    )
    due_date = forms.DateField(
        label="Milestone due date",
        widget=DATE,
        error_messages={
            "required": "Give the milestone's due date.",
            "invalid": "Give the milestone's due date as a date, for example 31 March 2027.",
        },
    )


class DoneForm(forms.Form):
    done_on = forms.DateField(
        label="Date done", widget=DATE, validators=[happened("The date it was done")]
    )


class UpdateForm(forms.Form):
    date = forms.DateField(widget=DATE, validators=[happened("The update's date")])
    narrative = forms.CharField(
        label="Update", widget=forms.Textarea(attrs={"rows": 5}), help_text="What has happened."
    )
    complete = forms.BooleanField(label="This update completes the action", required=False)
    attachments = MultipleFileField(
        label="Attach files",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, CSV, text or images. Kept privately.",
    )


class OverrideForm(forms.Form):
    rag = forms.ChoiceField(
        label="Status",
        choices=[("", "Work it out from the dates (no override)"), *RagChoice.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when you set the status by hand.",
    )


class PlanReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the plan"), ("return", "Return it with comments")],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class LinkForm(forms.Form):
    target = forms.ChoiceField(label="Object to link")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, groups: list[CandidateGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", "Choose…"),
            *[(group.source.label, group.options) for group in groups if group.options],
        ]


class ContactForm(forms.ModelForm):
    date = forms.DateField(widget=DATE, validators=[happened("The contact's date")])

    class Meta:
        model = Contact
        fields = ["date", "kind", "participants", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"notes": "Inspectorate only: the partnership never sees these notes."}


def _area_label(area: Any) -> str:
    inspection = area.inspection
    day = inspection.publication_date
    return (
        f"{area.number}. {area.title} (report of {day:%-d %B %Y})"
        if day
        else (f"{area.number}. {area.title} ({inspection.title})")
    )


class NoteForm(forms.Form):
    area = forms.ModelChoiceField(
        label="Area for improvement", queryset=AreaForImprovement.objects.none()
    )
    date = forms.DateField(widget=DATE, validators=[happened("The note's date")])
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Inspectorate only: the partnership never sees monitoring notes.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["area"])
        field.queryset = AreaForImprovement.objects.filter(
            inspection__partnership=partnership
        ).select_related("inspection")
        field.label_from_instance = _area_label  # type: ignore[method-assign,assignment]


class ConcernForm(forms.ModelForm):
    raised_on = forms.DateField(
        widget=DATE, validators=[happened("The date the concern was raised")]
    )

    class Meta:
        model = Concern
        fields = ["raised_on", "title", "detail", "severity", "follow_up", "follow_up_by"]
        widgets = {
            "raised_on": DATE,
            "follow_up_by": DATE,
            "detail": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(widget=DATE, validators=[happened("The date it was resolved")])
    resolution = forms.CharField(
        label="How it was resolved", widget=forms.Textarea(attrs={"rows": 4})
    )


class SupportForm(forms.Form):
    date = forms.DateField(widget=DATE, validators=[happened("The date support was offered")])
    description = forms.CharField(label="Support offered", widget=forms.Textarea(attrs={"rows": 4}))


def _inspectorate() -> Any:
    return User.objects.filter(role__in=INSPECTORATE_ROLES, is_active=True)


def _name_and_email(user: User) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class AssignmentForm(forms.Form):
    inspector = forms.ModelChoiceField(
        label="Link inspector",
        queryset=User.objects.none(),
        help_text="People with the link inspector role.",
        error_messages={
            "required": "Choose the link inspector.",
            "invalid_choice": "Choose a link inspector from the list: only people with the link "
            "inspector role can be assigned.",
        },
    )
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.all())
    started_on = forms.DateField(label="Starts on", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["inspector"])
        field.queryset = User.objects.filter(role=Role.LINK_INSPECTOR, is_active=True).order_by(
            "full_name", "email"
        )
        field.label_from_instance = _name_and_email  # type: ignore[method-assign,assignment]


class EndAssignmentForm(forms.Form):
    ended_on = forms.DateField(label="Ends on", widget=DATE)


class ReviewCreateForm(forms.Form):
    title = forms.CharField(max_length=250)
    lead = forms.ModelChoiceField(label="Lead inspector", queryset=User.objects.none())
    fieldwork_start = forms.DateField(widget=DATE, required=False)
    fieldwork_end = forms.DateField(widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = User.objects.filter(
            role__in=[Role.LEAD_INSPECTOR, Role.INSPECTOR, Role.LINK_INSPECTOR], is_active=True
        )


class ReviewEditForm(forms.ModelForm):
    class Meta:
        model = ProgressReview
        fields = [
            "title",
            "fieldwork_start",
            "fieldwork_end",
            "method",
            "conclusion",
            "further_scrutiny",
            "further_review_date",
            "next_steps",
        ]
        widgets = {
            "fieldwork_start": DATE,
            "fieldwork_end": DATE,
            "further_review_date": DATE,
            "method": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 6}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "further_scrutiny": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["further_scrutiny"]).choices = [
            ("", "Not decided yet"),
            *ProgressReview.FurtherScrutiny.choices,
        ]


class ReviewTeamForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="Inspectorate staff with an account. Leave empty and give a name for others.",
    )
    name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=TeamMember.Role.choices)
    scrutiny_body = forms.CharField(max_length=150, initial="Care Inspectorate")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = _inspectorate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("user") and not cleaned.get("name", "").strip():
            raise forms.ValidationError("Choose a person with an account, or give a name.")
        return cleaned


class FindingForm(forms.Form):
    level = forms.ModelChoiceField(
        label="Progress judgement",
        queryset=ProgressLevel.objects.all(),
        required=False,
        empty_label="Not judged yet",
    )
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        choices=ProgressReviewSignOff.Decision.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class LevelForm(forms.Form):
    order = forms.IntegerField(min_value=1, help_text="1 is the most progress.")
    label = forms.CharField(max_length=100)
    description = forms.CharField(max_length=300, required=False)
