"""REFI-QDA exchange: a project as ``.qdpx`` (a zip of ``project.qde`` and ``Sources/``), a
codebook as ``.qdc``, both ways, validated against the standard's schemas (``refi/``).

Export: each source is a ``TextSource`` whose text is ``Sources/<guid>.txt`` (UTF-8); each
coding a ``PlainTextSelection`` (start and end positions in characters) holding a ``Coding``.
In a comments source every comment is also a ``PlainTextSelection`` spanning it, referenced by
a ``Case`` that carries the comment's attributes as variable values; codings of a whole comment
sit in that selection. Memos travel as descriptions (sources, codings) and as notes (codes).

Import is all or nothing: a file that is not a zip, has no ``project.qde``, does not validate,
refers to a source file that is missing or outside the archive, or has a selection outside its
text is refused with a message saying so, and nothing is saved. Picture, audio and video
sources, and PDF sources without a text representation, are left out and listed.
"""

from __future__ import annotations

import functools
import io
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from lxml import etree

from scrutiny import __version__
from scrutiny.accounts.models import User
from scrutiny.inspections.models import Inspection
from scrutiny.places.models import Partnership
from scrutiny.qualitative import selectors, texts
from scrutiny.qualitative.models import (
    Agency,
    Code,
    Coding,
    Project,
    RespondentType,
    Segment,
    Source,
)
from scrutiny.qualitative.services import QualitativeError, project_create

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMAS = Path(__file__).parent / "refi"
ORIGIN = f"Scrutiny {__version__}"
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024

NOT_A_ZIP = "'{name}' is not a REFI-QDA project: a .qdpx file is a zip archive, and this is not."
NO_PROJECT_FILE = "'{name}' has no project.qde inside, so it is not a REFI-QDA project."
NOT_XML = "The {what} in '{name}' is not well-formed XML: {error}"
SCHEMA_FAILED = (
    "'{name}' does not follow the REFI-QDA {what} schema, so it cannot be imported safely: {errors}"
)
MISSING_SOURCES = "'{name}' refers to source files that are not in the archive: {paths}."
OUTSIDE_ARCHIVE = (
    "'{name}' refers to source files outside the archive ({paths}); export the project again "
    "with its sources included."
)
SELECTION_OUTSIDE = (
    "In source '{source}', a selection runs from {start} to {end} but the text has only "
    "{length} characters."
)
UNKNOWN_CODE = "In source '{source}', a coding refers to a code that is not in the codebook."
NO_TEXT_SOURCES = "'{name}' holds no text sources that Scrutiny can import."
TOO_BIG = "'{name}' is larger than {limit} MB."
SOURCE_NOT_TEXT = "The source file '{path}' in '{name}' is not UTF-8 text."
REPEATED_GUID = (
    "'{name}' gives the same GUID to more than one {what} ({guids}); each {one} must have its "
    "own GUID, so nothing was imported."
)

VARIABLES = {
    "respondent_type": ("Respondent type", "Text"),
    "agency": ("Agency", "Text"),
    "role": ("Role", "Text"),
    "date": ("Date", "Date"),
    "kind": ("Kind of source", "Text"),
    "origin": ("Where from", "Text"),
}


@functools.cache
def schema(kind: str) -> etree.XMLSchema:
    name = {"project": "Project-mrt2019.xsd", "codebook": "Codebook-mrt2019.xsd"}[kind]
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def _q(tag: str, ns: str = PROJECT_NS) -> str:
    return f"{{{ns}}}{tag}"


def _guid(value: uuid.UUID | str) -> str:
    return str(value)


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- export --------------------------------------------------------------------------------------


def _code_elements(
    parent: etree._Element, codes: list[Code], children: dict[int | None, list[Code]], ns: str
) -> list[tuple[Code, etree._Element]]:
    made = []
    for code in codes:
        element = etree.SubElement(
            parent,
            _q("Code", ns),
            guid=_guid(code.guid),
            name=code.name,
            isCodable="true",
            color=code.colour.upper(),
        )
        if code.description:
            etree.SubElement(element, _q("Description", ns)).text = code.description
        made.append((code, element))
        made.extend(_code_elements(element, children.get(code.pk, []), children, ns))
    return made


def _codes_tree(project: Project) -> tuple[list[Code], dict[int | None, list[Code]]]:
    codes = list(project.codes.order_by("order", "name"))
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    return children.get(None, []), children


def export_codebook(project: Project) -> bytes:
    """The project's codebook as a REFI-QDA ``.qdc`` file."""
    root = etree.Element(_q("CodeBook", CODEBOOK_NS), nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    codes = etree.SubElement(root, _q("Codes", CODEBOOK_NS))
    top, children = _codes_tree(project)
    _code_elements(codes, top, children, CODEBOOK_NS)
    if not len(codes):
        raise QualitativeError("The codebook is empty: add a code before exporting it.")
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    schema("codebook").assertValid(etree.fromstring(data))
    return data


def _source_file(source: Source) -> str:
    return f"{source.guid}.txt"


def export_project(project: Project, *, blind: selectors.Blind) -> bytes:
    """The project (codebook, sources, codings, attributes, memos) as a ``.qdpx`` archive, with
    the codings the person ``blind`` was worked out for may see."""
    sources = list(project.sources.order_by("pk"))
    codings = list(
        selectors.visible_codings(projects=[project], blind=blind).order_by(
            "source_id", "start", "end", "pk"
        )
    )
    segments_by_source: dict[int, list[Segment]] = defaultdict(list)
    comment_sources = {s.pk for s in sources if s.is_comments}
    for segment in Segment.objects.filter(source_id__in=comment_sources).order_by(
        "source_id", "position"
    ):
        segments_by_source[segment.source_id].append(segment)
    user_ids = {project.created_by_id, *(s.created_by_id for s in sources)}
    user_ids |= {c.coder_id for c in codings}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    user_guids = {pk: _guid(uuid.uuid5(project.guid, f"user-{pk}")) for pk in users}

    root = etree.Element(
        _q("Project"),
        nsmap={None: PROJECT_NS},
        name=project.title,
        origin=ORIGIN,
        creatingUserGUID=user_guids[project.created_by_id],
        creationDateTime=_when(project.created_at),
    )
    users_element = etree.SubElement(root, _q("Users"))
    for pk, user in sorted(users.items()):
        etree.SubElement(users_element, _q("User"), guid=user_guids[pk], name=user.full_name)

    top, children = _codes_tree(project)
    code_guids = {c.pk: _guid(c.guid) for c in project.codes.all()}
    notes: list[tuple[str, str, str]] = []  # (guid, name, text)
    if top:
        codebook = etree.SubElement(root, _q("CodeBook"))
        codes_element = etree.SubElement(codebook, _q("Codes"))
        for code, element in _code_elements(codes_element, top, children, PROJECT_NS):
            if code.memo.strip():
                note_guid = _guid(uuid.uuid5(code.guid, "memo"))
                notes.append((note_guid, f"Memo: {code.name}", code.memo))
                note_ref = etree.Element(_q("NoteRef"), targetGUID=note_guid)
                description = element.find(_q("Description"))
                if description is not None:
                    description.addnext(note_ref)
                else:
                    element.insert(0, note_ref)

    variable_guids = {key: _guid(uuid.uuid5(project.guid, f"variable-{key}")) for key in VARIABLES}
    variables = etree.SubElement(root, _q("Variables"))
    for key, (name, kind) in VARIABLES.items():
        etree.SubElement(
            variables, _q("Variable"), guid=variable_guids[key], name=name, typeOfVariable=kind
        )

    cases: list[tuple[str, str, Segment, str]] = []
    files: dict[str, str] = {}
    codings_by_source: dict[int, list[Coding]] = defaultdict(list)
    for coding in codings:
        codings_by_source[coding.source_id].append(coding)
    sources_element = etree.SubElement(root, _q("Sources")) if sources else None
    for source in sources:
        assert sources_element is not None
        path = _source_file(source)
        files[path] = source.text
        element = etree.SubElement(
            sources_element,
            _q("TextSource"),
            guid=_guid(source.guid),
            name=source.title,
            plainTextPath=f"internal://{path}",
            creatingUser=user_guids[source.created_by_id],
            creationDateTime=_when(source.created_at),
        )
        if source.memo.strip():
            etree.SubElement(element, _q("Description")).text = source.memo
        whole: dict[tuple[int, int], list[Coding]] = defaultdict(list)
        spans: list[Coding] = []
        comment_spans = {(s.start, s.end) for s in segments_by_source.get(source.pk, [])}
        for coding in codings_by_source.get(source.pk, []):
            if (coding.start, coding.end) in comment_spans:
                whole[(coding.start, coding.end)].append(coding)
            else:
                spans.append(coding)
        for segment in segments_by_source.get(source.pk, []):
            selection_guid = _guid(uuid.uuid5(source.guid, f"comment-{segment.position}"))
            selection = etree.SubElement(
                element,
                _q("PlainTextSelection"),
                guid=selection_guid,
                name=f"Comment {segment.position}",
                startPosition=str(segment.start),
                endPosition=str(segment.end),
            )
            for coding in whole.get((segment.start, segment.end), []):
                _coding_element(selection, coding, code_guids, user_guids)
            cases.append(
                (
                    _guid(uuid.uuid5(source.guid, f"case-{segment.position}")),
                    selection_guid,
                    segment,
                    f"{source.title}: comment {segment.position}",
                )
            )
        for coding in spans:
            selection = etree.SubElement(
                element,
                _q("PlainTextSelection"),
                guid=_guid(uuid.uuid5(coding.guid, "selection")),
                name=coding.text[:60],
                startPosition=str(coding.start),
                endPosition=str(coding.end),
                creatingUser=user_guids[coding.coder_id],
                creationDateTime=_when(coding.created_at),
            )
            if coding.memo.strip():
                etree.SubElement(selection, _q("Description")).text = coding.memo
            _coding_element(selection, coding, code_guids, user_guids)
        for key, value in (
            ("kind", source.get_kind_display()),
            ("respondent_type", source.get_respondent_type_display()),
            ("agency", source.get_agency_display() if source.agency else ""),
            ("origin", source.origin),
            ("date", source.collected_on.isoformat() if source.collected_on else ""),
        ):
            if value:
                _variable_value(element, variable_guids[key], key, str(value))

    if cases:
        # Cases come before Sources in the schema's sequence.
        cases_element = etree.Element(_q("Cases"))
        for case_guid, selection_guid, segment, name in cases:
            case = etree.SubElement(cases_element, _q("Case"), guid=case_guid, name=name)
            for key, value in (
                ("respondent_type", segment.get_respondent_type_display()),
                ("agency", segment.get_agency_display() if segment.agency else ""),
                ("role", segment.role),
                ("date", segment.date.isoformat() if segment.date else ""),
            ):
                if value:
                    _variable_value(case, variable_guids[key], key, str(value))
            etree.SubElement(case, _q("SelectionRef"), targetGUID=selection_guid)
        variables.addnext(cases_element)

    if notes:
        notes_element = etree.SubElement(root, _q("Notes"))
        for note_guid, name, text in notes:
            note = etree.SubElement(notes_element, _q("Note"), guid=note_guid, name=name)
            etree.SubElement(note, _q("PlainTextContent")).text = text
    if project.description:
        etree.SubElement(root, _q("Description")).text = project.description

    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    schema("project").assertValid(etree.fromstring(xml))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for path, text in files.items():
            archive.writestr(f"Sources/{path}", text.encode("utf-8"))
    return buffer.getvalue()


def _coding_element(
    parent: etree._Element, coding: Coding, code_guids: dict[int, str], user_guids: dict[int, str]
) -> None:
    element = etree.SubElement(
        parent,
        _q("Coding"),
        guid=_guid(coding.guid),
        creatingUser=user_guids[coding.coder_id],
        creationDateTime=_when(coding.created_at),
    )
    etree.SubElement(element, _q("CodeRef"), targetGUID=code_guids[coding.code_id])


def _variable_value(parent: etree._Element, guid: str, key: str, value: str) -> None:
    element = etree.SubElement(parent, _q("VariableValue"))
    etree.SubElement(element, _q("VariableRef"), targetGUID=guid)
    tag = "DateValue" if VARIABLES[key][1] == "Date" else "TextValue"
    etree.SubElement(element, _q(tag)).text = value


# --- import --------------------------------------------------------------------------------------


def _parse(data: bytes, *, name: str, what: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise QualitativeError(NOT_XML.format(what=what, name=name, error=exc.msg)) from exc


def _validated(root: etree._Element, *, kind: str, name: str) -> None:
    checker = schema(kind)
    if not checker.validate(root):
        errors = "; ".join(
            f"line {error.line}: {error.message}" for error in list(checker.error_log)[:3]
        )
        raise QualitativeError(
            SCHEMA_FAILED.format(
                name=name, what="project" if kind == "project" else "codebook", errors=errors
            )
        )


def _uuid(value: str | None) -> uuid.UUID:
    return uuid.UUID((value or "").strip("{}"))


def _refuse_repeated_guids(guids: Iterable[str], *, name: str, what: str, one: str) -> None:
    """A file that gives two codes (sources, selections) one GUID is refused: the standard
    makes GUIDs unique, and references to such a GUID cannot be followed."""
    counts = Counter(guid.strip("{}").lower() for guid in guids)
    repeated = [guid for guid, n in counts.items() if n > 1]
    if repeated:
        raise QualitativeError(
            REPEATED_GUID.format(name=name, what=what, one=one, guids=", ".join(repeated[:5]))
        )


@dataclass
class _CodeSpec:
    guid: uuid.UUID
    name: str
    colour: str
    description: str
    parent: uuid.UUID | None
    note_refs: list[str] = field(default_factory=list)


def _read_codes(container: etree._Element | None, ns: str) -> list[_CodeSpec]:
    specs: list[_CodeSpec] = []

    def walk(element: etree._Element, parent: uuid.UUID | None) -> None:
        for code in element.findall(_q("Code", ns)):
            description = code.findtext(_q("Description", ns)) or ""
            colour = code.get("color") or "#0065bd"
            if len(colour) == 4:  # #abc → #aabbcc
                colour = "#" + "".join(ch * 2 for ch in colour[1:])
            spec = _CodeSpec(
                guid=_uuid(code.get("guid")),
                name=" ".join((code.get("name") or "").split()) or "Unnamed code",
                colour=colour.lower(),
                description=description.strip(),
                parent=parent,
                note_refs=[r.get("targetGUID", "") for r in code.findall(_q("NoteRef", ns))],
            )
            specs.append(spec)
            walk(code, spec.guid)

    if container is not None:
        walk(container, None)
    return specs


def _unique_names(specs: list[_CodeSpec], taken: set[str]) -> None:
    """Codes must have different names within a project; other tools allow repeats under
    different parents, so a repeated name gets its parent's name (or a number) added."""
    by_guid = {spec.guid: spec for spec in specs}
    for spec in specs:
        name = spec.name
        if name.lower() in taken and spec.parent in by_guid:
            name = f"{name} ({by_guid[spec.parent].name})"
        candidate, number = name, 2
        while candidate.lower() in taken:
            candidate = f"{name} ({number})"
            number += 1
        spec.name = candidate[:120]
        taken.add(spec.name.lower())


def _create_codes(project: Project, specs: list[_CodeSpec]) -> dict[uuid.UUID, Code]:
    made: dict[uuid.UUID, Code] = {}
    for order, spec in enumerate(specs, start=project.codes.count() + 1):
        made[spec.guid] = Code.objects.create(
            project=project,
            parent=made.get(spec.parent) if spec.parent else None,
            name=spec.name,
            description=spec.description,
            colour=spec.colour,
            guid=spec.guid,
            order=order,
        )
    return made


@dataclass
class ImportSummary:
    project: Project
    sources: int = 0
    codes: int = 0
    codings: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    name: str
    memo: str
    codes: list[tuple[str, str | None]]  # (code guid, creating user guid)


_LABELS = {
    "respondent_type": {str(label).lower(): value for value, label in RespondentType.choices},
    "agency": {str(label).lower(): value for value, label in Agency.choices if value},
}


def _variable_values(element: etree._Element, variable_names: dict[str, str]) -> dict[str, str]:
    values = {}
    for value in element.findall(_q("VariableValue")):
        ref = value.find(_q("VariableRef"))
        if ref is None:
            continue
        name = variable_names.get(ref.get("targetGUID", ""), "").lower()
        text = next((child.text or "" for child in value if child.tag != _q("VariableRef")), "")
        values[name] = text.strip()
    return values


def _attributes(values: dict[str, str]) -> dict[str, Any]:
    names = {label.lower(): key for key, (label, _) in VARIABLES.items()}
    result: dict[str, Any] = {}
    for name, text in values.items():
        key = names.get(name)
        if key == "respondent_type":
            result[key] = (
                _LABELS[key].get(text.lower())
                or texts.respondent_type_of(text)
                or RespondentType.OTHER
            )
        elif key == "agency":
            result[key] = _LABELS[key].get(text.lower()) or texts.agency_of(text) or Agency.OTHER
        elif key == "date":
            result[key] = texts.parse_date(text)
        elif key in ("role", "origin"):
            result[key] = text[: 100 if key == "role" else 200]
        elif key == "kind":
            kinds = {str(label).lower(): value for value, label in Source.Kind.choices}
            result[key] = kinds.get(text.lower())
    return result


@transaction.atomic
def import_project(
    *,
    partnership: Partnership,
    name: str,
    data: bytes,
    by: User,
    title: str = "",
    inspection: Inspection | None = None,
) -> ImportSummary:
    """A new project from a ``.qdpx`` archive made by Scrutiny or another REFI-QDA tool."""
    if not data:
        raise QualitativeError(texts.EMPTY_FILE.format(name=name))
    if len(data) > MAX_ARCHIVE_BYTES:
        raise QualitativeError(TOO_BIG.format(name=name, limit=MAX_ARCHIVE_BYTES // 2**20))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise QualitativeError(NOT_A_ZIP.format(name=name)) from exc
    members = {info.filename: info for info in archive.infolist()}
    if "project.qde" not in members:
        raise QualitativeError(NO_PROJECT_FILE.format(name=name))
    root = _parse(archive.read("project.qde"), name=name, what="project.qde")
    _validated(root, kind="project", name=name)

    users = {
        u.get("guid", "").strip("{}").lower(): (u.get("name") or "").strip()
        for u in root.iterfind(f"{_q('Users')}/{_q('User')}")
    }
    variable_names = {
        v.get("guid", ""): v.get("name", "")
        for v in root.iterfind(f"{_q('Variables')}/{_q('Variable')}")
    }
    notes = {
        n.get("guid", ""): (n.findtext(_q("PlainTextContent")) or "")
        for n in root.iterfind(f"{_q('Notes')}/{_q('Note')}")
    }
    selection_attributes: dict[str, dict[str, Any]] = {}
    for case in root.iterfind(f"{_q('Cases')}/{_q('Case')}"):
        values = _attributes(_variable_values(case, variable_names))
        for ref in case.findall(_q("SelectionRef")):
            selection_attributes[ref.get("targetGUID", "")] = values

    summary_skipped: list[str] = []
    text_sources = []
    for element in root.iterfind(f"{_q('Sources')}/*"):
        tag = etree.QName(element).localname
        label = element.get("name") or tag
        if tag == "TextSource":
            text_sources.append(element)
        elif tag == "PDFSource" and element.find(_q("Representation")) is not None:
            text_sources.append(element.find(_q("Representation")))
        else:
            summary_skipped.append(f"{label} ({tag.removesuffix('Source').lower()})")

    # Read every text first, so that a missing file refuses the whole import.
    missing, outside = [], []
    contents: list[tuple[etree._Element, str]] = []
    for element in text_sources:
        inline = element.find(_q("PlainTextContent"))
        path = element.get("plainTextPath")
        if path:
            if not path.startswith("internal://"):
                outside.append(path)
                continue
            inner = "Sources/" + path.removeprefix("internal://")
            if inner not in members:
                missing.append(path.removeprefix("internal://"))
                continue
            raw = archive.read(inner)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise QualitativeError(SOURCE_NOT_TEXT.format(path=inner, name=name)) from exc
        elif inline is not None:
            text = inline.text or ""
        else:
            missing.append(element.get("name") or element.get("guid", ""))
            continue
        contents.append((element, text))
    if outside:
        raise QualitativeError(OUTSIDE_ARCHIVE.format(name=name, paths=", ".join(outside[:5])))
    if missing:
        raise QualitativeError(MISSING_SOURCES.format(name=name, paths=", ".join(missing[:5])))
    if not contents:
        raise QualitativeError(NO_TEXT_SOURCES.format(name=name))

    specs = _read_codes(root.find(f"{_q('CodeBook')}/{_q('Codes')}"), PROJECT_NS)
    _refuse_repeated_guids((str(spec.guid) for spec in specs), name=name, what="code", one="code")
    _refuse_repeated_guids(
        (element.get("guid", "") for element in root.iterfind(f"{_q('Sources')}/*")),
        name=name,
        what="source",
        one="source",
    )
    _refuse_repeated_guids(
        (
            element.get("guid", "")
            for element in root.iter(etree.Element)
            if etree.QName(element).localname.endswith("Selection")
        ),
        name=name,
        what="selection",
        one="selection",
    )

    project = project_create(
        partnership=partnership,
        inspection=inspection,
        title=title or root.get("name") or name,
        description=root.findtext(_q("Description")) or "",
        by=by,
    )
    _unique_names(specs, set())
    codes = _create_codes(project, specs)
    for spec in specs:
        memo = "\n\n".join(notes[ref] for ref in spec.note_refs if ref in notes)
        if memo:
            Code.objects.filter(pk=codes[spec.guid].pk).update(memo=memo)
    code_by_text = {str(guid).lower(): code for guid, code in codes.items()}

    summary = ImportSummary(project=project, codes=len(codes), skipped=summary_skipped)
    for element, text in contents:
        summary.codings += _import_source(
            project=project,
            element=element,
            text=text,
            by=by,
            users=users,
            codes=code_by_text,
            variable_names=variable_names,
            selection_attributes=selection_attributes,
        )
        summary.sources += 1
    return summary


def _import_source(
    *,
    project: Project,
    element: etree._Element,
    text: str,
    by: User,
    users: dict[str, str],
    codes: dict[str, Code],
    variable_names: dict[str, str],
    selection_attributes: dict[str, dict[str, Any]],
) -> int:
    title = (element.get("name") or "Imported source")[:200]
    length = len(text)
    selections: list[_Selection] = []
    for selection in element.findall(_q("PlainTextSelection")):
        start = int(selection.get("startPosition", "0"))
        end = int(selection.get("endPosition", "0"))
        if not 0 <= start <= end <= length:
            raise QualitativeError(
                SELECTION_OUTSIDE.format(source=title, start=start, end=end, length=length)
            )
        coded = []
        for coding in selection.findall(_q("Coding")):
            ref = coding.find(_q("CodeRef"))
            guid = (ref.get("targetGUID", "") if ref is not None else "").strip("{}").lower()
            if guid not in codes:
                raise QualitativeError(UNKNOWN_CODE.format(source=title))
            coded.append((guid, coding.get("creatingUser")))
        selections.append(
            _Selection(
                guid=selection.get("guid", ""),
                start=start,
                end=end,
                name=selection.get("name") or "",
                memo=(selection.findtext(_q("Description")) or "").strip(),
                codes=coded,
            )
        )
    values = _attributes(_variable_values(element, variable_names))
    comment_selections = [s for s in selections if s.guid in selection_attributes]
    kind = values.get("kind") or (
        Source.Kind.COMMENTS if comment_selections else Source.Kind.DOCUMENT
    )
    try:
        guid = _uuid(element.get("guid"))
        if Source.objects.filter(guid=guid).exists():
            guid = uuid.uuid4()
    except ValueError:
        guid = uuid.uuid4()
    source = Source.objects.create(
        project=project,
        kind=kind,
        title=title,
        text=text,
        respondent_type=values.get("respondent_type") or RespondentType.UNKNOWN,
        agency=values.get("agency") or "",
        collected_on=values.get("date"),
        origin=values.get("origin") or "",
        memo=(element.findtext(_q("Description")) or "").strip(),
        guid=guid,
        original_filename=title,
        created_by=by,
    )
    if comment_selections:
        spans = sorted(
            (s for s in comment_selections if s.end > s.start), key=lambda s: (s.start, s.end)
        )
        segments = [
            Segment(
                source=source,
                position=number,
                start=s.start,
                end=s.end,
                text=text[s.start : s.end],
                respondent_type=selection_attributes[s.guid].get("respondent_type")
                or source.respondent_type,
                agency=selection_attributes[s.guid].get("agency") or source.agency,
                role=selection_attributes[s.guid].get("role") or "",
                date=selection_attributes[s.guid].get("date") or source.collected_on,
            )
            for number, s in enumerate(spans, start=1)
        ]
    else:
        segments = [
            Segment(
                source=source,
                position=number,
                start=span.start,
                end=span.end,
                text=text[span.start : span.end],
                respondent_type=source.respondent_type,
                agency=source.agency,
                date=source.collected_on,
            )
            for number, span in enumerate(texts.paragraphs(text), start=1)
        ]
    Segment.objects.bulk_create(segments, batch_size=2000)
    stored = list(source.segments.order_by("start"))
    made: list[Coding] = []
    seen: set[tuple[str, int, int]] = set()
    for selection in selections:
        if selection.end <= selection.start:
            continue
        segment = next(
            (s for s in stored if s.start <= selection.start and selection.end <= s.end), None
        )
        for code_guid, user_guid in selection.codes:
            key = (code_guid, selection.start, selection.end)
            if key in seen:
                continue
            seen.add(key)
            made.append(
                Coding(
                    source=source,
                    segment=segment,
                    code=codes[code_guid],
                    start=selection.start,
                    end=selection.end,
                    text=text[selection.start : selection.end],
                    coder=by,
                    imported_coder=users.get((user_guid or "").strip("{}").lower(), "")[:150],
                    memo=selection.memo,
                )
            )
    Coding.objects.bulk_create(made, batch_size=2000)
    return len(made)


@dataclass
class CodebookSummary:
    added: int
    kept: int


@transaction.atomic
def import_codebook(*, project: Project, name: str, data: bytes) -> CodebookSummary:
    """Add the codes of a ``.qdc`` codebook to the project; codes with a name the project
    already uses are kept as they are (their codings untouched)."""
    if not data:
        raise QualitativeError(texts.EMPTY_FILE.format(name=name))
    root = _parse(data, name=name, what="codebook")
    _validated(root, kind="codebook", name=name)
    specs = _read_codes(root.find(_q("Codes", CODEBOOK_NS)), CODEBOOK_NS)
    _refuse_repeated_guids((str(spec.guid) for spec in specs), name=name, what="code", one="code")
    existing = {c.name.lower(): c for c in project.codes.all()}
    existing_guids = set(project.codes.values_list("guid", flat=True))
    new = [s for s in specs if s.name.lower() not in existing and s.guid not in existing_guids]
    kept = len(specs) - len(new)
    known = {s.guid for s in new}
    by_guid = {s.guid: s for s in specs}
    for spec in new:
        if spec.parent is not None and spec.parent not in known:
            parent_spec = by_guid.get(spec.parent)
            parent = existing.get(parent_spec.name.lower()) if parent_spec else None
            spec.parent = parent.guid if parent else None
    _unique_names(new, set(existing))
    existing_by_guid = {c.guid: c for c in existing.values()}
    made: dict[uuid.UUID, Code] = {}
    for order, spec in enumerate(new, start=len(existing) + 1):
        parent = None
        if spec.parent is not None:
            parent = made.get(spec.parent) or existing_by_guid.get(spec.parent)
        made[spec.guid] = Code.objects.create(
            project=project,
            parent=parent,
            name=spec.name,
            description=spec.description,
            colour=spec.colour,
            guid=spec.guid,
            order=order,
        )
    return CodebookSummary(added=len(made), kept=kept)
