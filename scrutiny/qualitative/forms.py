from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from scrutiny.accounts.models import Role, User
from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections.models import AreaForImprovement
from scrutiny.qualitative.models import (
    Agency,
    Code,
    Coding,
    CodingCheck,
    Project,
    RespondentType,
    Shanarri,
    Source,
)
from scrutiny.qualitative.selectors import codes_in_order
from scrutiny.qualitative.texts import MAX_UPLOAD_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_KINDS = [
    (value, label)
    for value, label in Source.Kind.choices
    if value not in (Source.Kind.COMMENTS, Source.Kind.SURVEY)
]
COMMENT_KINDS = [
    (value, label)
    for value, label in Source.Kind.choices
    if value in (Source.Kind.COMMENTS, Source.Kind.SURVEY)
]


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "path", obj.name))


def _code_field(project: Project, *, required: bool = True, label: str = "Code") -> CodeChoiceField:
    field = CodeChoiceField(queryset=project.codes.all(), required=required, label=label)
    field.choices = [("", "Choose a code")] + [  # keep the codebook's tree order
        (str(code.pk), str(getattr(code, "path", code.name))) for code in codes_in_order(project)
    ]
    return field


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"title": "E.g. 'Views of children, families and staff 2026'."}


class ProjectEditForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description", "memo"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "memo": forms.Textarea(attrs={"rows": 5}),
        }


class AttributesFields(forms.Form):
    respondent_type = forms.ChoiceField(
        label="Who", choices=RespondentType.choices, initial=RespondentType.UNKNOWN
    )
    agency = forms.ChoiceField(
        choices=Agency.choices, required=False, help_text="For staff: the agency they work for."
    )
    collected_on = forms.DateField(label="When", required=False, widget=DATE)
    origin = forms.CharField(
        label="Where from",
        max_length=200,
        required=False,
        help_text="E.g. 'Focus group with care-experienced young people, March 2026'.",
    )


class SourceForm(AttributesFields):
    kind = forms.ChoiceField(label="Kind of source", choices=DOCUMENT_KINDS)
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Needed for pasted text; for a file, its name if left blank.",
    )
    upload = forms.FileField(
        label="File",
        required=False,
        help_text="Plain text (.txt, .md), Word (.docx) or PDF with a text layer (.pdf).",
    )
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Each line becomes a paragraph that can be coded and searched.",
    )
    field_order = ["kind", "title", "upload", "text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        pasted = (data.get("text") or "").strip()
        if not upload and not pasted:
            raise forms.ValidationError("Upload a file or paste some text.")
        if upload and pasted:
            self.add_error(
                "text", "Give a file or pasted text, not both: remove the text or the file."
            )
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        if not upload and not (data.get("title") or "").strip():
            self.add_error("title", "Give pasted text a title.")
        return data


class CommentsUploadForm(forms.Form):
    upload = forms.FileField(
        label="Table of comments",
        help_text="CSV (.csv) or Excel (.xlsx), with column names in the first row and one "
        "comment per row. You choose which column is which next.",
    )


class ColumnMappingForm(AttributesFields):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Kind of source", choices=COMMENT_KINDS)
    text_column = forms.ChoiceField(label="Column with the comments")
    respondent_column = forms.ChoiceField(
        label="Column saying who answered",
        required=False,
        help_text="Words such as 'parent', 'young person', 'foster carer' or 'staff'.",
    )
    agency_column = forms.ChoiceField(label="Column with the agency", required=False)
    role_column = forms.ChoiceField(label="Column with the role", required=False)
    date_column = forms.ChoiceField(label="Column with the date", required=False)
    reference_column = forms.ChoiceField(
        label="Column with a reference",
        required=False,
        help_text="A response number, kept with each comment (never shown in quotes).",
    )
    field_order = [
        "title",
        "kind",
        "text_column",
        "respondent_column",
        "agency_column",
        "role_column",
        "date_column",
        "reference_column",
    ]

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [(h, h) for h in headers]
        cast(forms.ChoiceField, self.fields["text_column"]).choices = columns
        for name in ("respondent", "agency", "role", "date", "reference"):
            cast(forms.ChoiceField, self.fields[f"{name}_column"]).choices = [
                ("", "Not in the file"),
                *columns,
            ]
        self.fields["respondent_type"].label = "Who, where the file does not say"
        self.fields["agency"].label = "Agency, where the file does not say"
        self.fields["collected_on"].label = "Date, where the file does not say"
        guesses = {
            "text_column": ("comment", "answer", "feedback", "text", "response"),
            "respondent_column": ("respondent", "who", "type"),
            "agency_column": ("agency", "service", "organisation"),
            "role_column": ("role", "job"),
            "date_column": ("date", "submitted", "when"),
            "reference_column": ("id", "ref", "number"),
        }
        for field, words in guesses.items():
            # The first word (in order of preference) that some header contains.
            match = next(
                (h for w in words for h in headers if w in h.lower().split() or w == h.lower()),
                None,
            ) or next((h for w in words for h in headers if w in h.lower()), None)
            if match and field not in self.initial:
                self.initial[field] = match


class SourceEditForm(AttributesFields):
    title = forms.CharField(max_length=200)
    memo = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    apply_to_segments = forms.BooleanField(
        label="Also give every comment or paragraph these attributes",
        required=False,
        help_text="Replaces attributes that were read for each comment from an imported file.",
    )
    field_order = ["title", "respondent_type", "agency", "collected_on", "origin", "memo"]


class QIChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "label", obj))


class CodeForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What belongs under this code, so that coders apply it the same way.",
    )
    colour = forms.CharField(
        max_length=7,
        initial="#0065bd",
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Shown as a line under coded text.",
    )
    parent = forms.ModelChoiceField(
        label="Sits under", queryset=Code.objects.none(), required=False
    )
    shanarri = forms.MultipleChoiceField(
        label="SHANARRI wellbeing indicators",
        choices=Shanarri.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas for improvement",
        queryset=AreaForImprovement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    qis = QIChoiceField(
        label="Quality indicators", queryset=QualityIndicator.objects.none(), required=False
    )
    memo = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, project: Project, code: Code | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = [c for c in codes_in_order(project) if code is None or c.pk != code.pk]
        parent_field = cast(forms.ModelChoiceField, self.fields["parent"])
        parent_field.queryset = project.codes.all()
        parent_field.choices = [("", "Top level")] + [
            (str(c.pk), str(getattr(c, "path", c.name))) for c in parents
        ]
        areas = AreaForImprovement.objects.filter(
            inspection__partnership_id=project.partnership_id
        ).select_related("inspection")
        areas_field = cast(forms.ModelMultipleChoiceField, self.fields["areas"])
        areas_field.queryset = areas
        areas_field.label_from_instance = _area_label  # type: ignore[method-assign]
        version_ids = set(
            project.partnership.inspections.values_list("framework_version_id", flat=True)
        )
        qis = QualityIndicator.objects.filter(version_id__in=version_ids).select_related("version")
        cast(forms.ModelMultipleChoiceField, self.fields["qis"]).queryset = qis
        if not version_ids:
            del self.fields["qis"]
        if not areas.exists():
            del self.fields["areas"]


def _area_label(obj: Any) -> str:
    when = obj.inspection.notification_date
    where = f" ({obj.inspection.title}, {when:%Y})" if when else ""
    return f"{obj.number}. {obj.title}{where}"


class MergeForm(forms.Form):
    into = CodeChoiceField(label="Merge into", queryset=Code.objects.none())

    def __init__(self, *args: Any, code: Code, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(CodeChoiceField, self.fields["into"])
        field.queryset = code.project.codes.exclude(pk=code.pk)
        field.choices = [("", "Choose a code")] + [
            (str(c.pk), str(getattr(c, "path", c.name)))
            for c in codes_in_order(code.project)
            if c.pk != code.pk
        ]


class SpanForm(forms.Form):
    code = forms.IntegerField(widget=forms.HiddenInput)  # replaced in __init__
    start = forms.IntegerField(min_value=0, help_text="Characters from the start of the source.")
    end = forms.IntegerField(min_value=0)
    memo = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"] = _code_field(project)
        self.order_fields(["code", "start", "end", "memo"])


class SentenceForm(forms.Form):
    span = forms.ChoiceField(label="Sentence to code", widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, project: Project, sentences: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["span"]).choices = sentences
        self.fields["code"] = _code_field(project)


class MemoForm(forms.Form):
    memo = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))


class CheckForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Double-coding check")
    unit = forms.ChoiceField(
        label="Unit of agreement",
        choices=CodingCheck.Unit.choices,
        widget=forms.RadioSelect,
        initial=CodingCheck.Unit.COMMENT,
        help_text="Whole comments: did each coder apply each code to each comment? Characters: "
        "did each coder apply each code to each character (for documents and notes)?",
    )
    first_coder = forms.ModelChoiceField(
        queryset=User.objects.none(), help_text="The person whose coding is checked."
    )
    coders = forms.ModelMultipleChoiceField(
        label="Blind coders",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="They code the sample without seeing anyone else's coding.",
    )
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    sample_size = forms.IntegerField(
        label="Comments in the sample",
        min_value=2,
        initial=40,
        required=False,
        help_text="Drawn at random from the chosen sources (whole-comment checks only).",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coder_ids = Coding.objects.filter(source__project=project, check_run__isnull=True).values(
            "coder_id"
        )
        cast(forms.ModelChoiceField, self.fields["first_coder"]).queryset = User.objects.filter(
            pk__in=coder_ids
        )
        if project.inspection_id:
            people = User.objects.filter(
                Q(inspection_roles__inspection_id=project.inspection_id)
                | Q(role=Role.ADMINISTRATOR)
            )
        else:
            people = User.objects.filter(
                organisation__partnership_id=project.partnership_id,
                role__in=[Role.PARTNERSHIP_LEAD, Role.CONTRIBUTOR],
            )
        cast(forms.ModelMultipleChoiceField, self.fields["coders"]).queryset = people.filter(
            is_active=True
        ).distinct()
        cast(
            forms.ModelMultipleChoiceField, self.fields["sources"]
        ).queryset = project.sources.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unit") == CodingCheck.Unit.COMMENT and not data.get("sample_size"):
            self.add_error("sample_size", "Say how many comments to sample.")
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Words to find",
        required=False,
        help_text='All the words must appear. Use "quotes" for a phrase, -word to leave out, '
        "or to allow either.",
    )
    code = forms.ModelChoiceField(queryset=Code.objects.none(), required=False)
    respondent_type = forms.ChoiceField(
        label="Who", choices=[("", "Anyone"), *RespondentType.choices], required=False
    )
    agency = forms.ChoiceField(
        choices=[("", "Any agency"), *[(v, label) for v, label in Agency.choices if v]],
        required=False,
    )
    kind = forms.ChoiceField(
        label="Kind of source", choices=[("", "Any kind"), *Source.Kind.choices], required=False
    )
    date_from = forms.DateField(label="From", required=False, widget=DATE)
    date_to = forms.DateField(label="To", required=False, widget=DATE)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _code_field(project, required=False)
        field.choices = [("", "Any code"), *list(cast(list[Any], field.choices))[1:]]
        field.help_text = "Includes the codes under it."
        self.fields["code"] = field
        self.order_fields(["q", "code", "respondent_type", "agency", "kind", "date_from"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To must be on or after From: nothing could match.")
        return data


class TrainForm(forms.Form):
    method = forms.ChoiceField(label="How to learn", widget=forms.RadioSelect)

    def __init__(self, *args: Any, methods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["method"])
        field.choices = methods
        field.initial = methods[0][0]


class ThemeNameForm(forms.Form):
    name = forms.CharField(label="Name for a new code", max_length=120, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _code_field(project, required=False, label="Or an existing code")
        field.choices = [("", "None: a new code"), *list(cast(list[Any], field.choices))[1:]]
        self.fields["code"] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not data.get("code"):
            raise forms.ValidationError("Name the theme, or choose an existing code for it.")
        return data


class QuoteForm(forms.Form):
    redacted = forms.CharField(
        label="Quote as it may be used",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Names, places and dates were replaced automatically. Read it and remove "
        "anything else that could identify someone, or replace it with [name], [place], [date], "
        "[redacted] or …; the words must stay the extract's own.",
    )
    note = forms.CharField(
        label="Note for report writers", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    checked = forms.BooleanField(
        label="I have read this quote and it identifies no child, family or member of staff",
        required=False,
    )


class ProjectImportForm(forms.Form):
    title = forms.CharField(
        max_length=200, required=False, help_text="The project's own name if blank."
    )
    upload = forms.FileField(
        label="REFI-QDA project (.qdpx)",
        help_text="Exported from NVivo, ATLAS.ti, MAXQDA, QualCoder or Scrutiny.",
    )


class CodebookImportForm(forms.Form):
    upload = forms.FileField(
        label="REFI-QDA codebook (.qdc)",
        help_text="Codes whose names the project already uses are left as they are.",
    )
