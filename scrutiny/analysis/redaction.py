"""Automatic redaction of quotes before anything is published.

What is replaced, in this order (earlier kinds win where two overlap):

* email addresses → ``[email]``; UK telephone numbers → ``[phone number]``;
* dates in common forms (``12/03/2025``, ``2025-03-12``, ``12 March 2025``, ``March 12th``,
  ``March 2025``, ``12th of March``) → ``[date]``; a month name alone is left (``May`` is also
  a verb);
* a title and the capitalised names after it (``Mrs McLean``, ``Dr A. Shah``) → ``[name]``;
* names of schools and nurseries (``Belmont Academy``, ``Forehill Primary``) → ``[place]``;
* council areas of Scotland and a list of towns (longest first, so ``South Ayrshire`` is one
  place, not ``Ayr``) → ``[place]``;
* capitalised words in the lists of common Scottish forenames and surnames → ``[name]``, with
  neighbouring names joined into one. Forenames and surnames that are also everyday words
  (``Will``, ``Grace``, ``Young``, ``Brown``) are only taken as names next to another name or a
  title, so ``Young people`` stays as it is.

It is a safety net, not a guarantee: a person reads every quote and confirms it before it can be
used. Pure computation: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "[name]"
PLACE = "[place]"
DATE = "[date]"
EMAIL = "[email]"
PHONE = "[phone number]"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FORENAMES = _words(
    """
    aaron abbie adam aidan ailsa alan alana alasdair alastair alex alexander alexandra ali alice
    alison alistair amanda amber amelia amy andrew angela angus ann anna anne annie archie arran
    arthur ava barry ben benjamin beth bethany blair brian bruce caitlin callum calum calvin
    cameron campbell carly carol caroline catherine charlie charlotte chloe chris christine
    christopher claire colin connor craig daniel darren david dean declan derek diane donald
    donna douglas duncan dylan eilidh eleanor elizabeth ella ellie emily emma eric erin euan
    evan ewan fergus finlay finn fiona fraser freya gary gavin gemma george gillian gordon
    graham grant greg gregor hamish hannah harris harry harvey hayley heather helen holly iain
    ian innes isaac isla isobel jack jackie jacob jake james jamie jane janet jason jennifer
    jenny jessica jill jim jodie joe john jordan joseph josh joshua julie karen kate katie keith
    kelly kenneth kerry kevin kieran kirsty kyle laura lauren leah lee leo leon lesley lewis
    liam lily linda lindsay lisa logan lorna lorraine louise lucy luke lynn lynne mairi malcolm
    margaret maria marie mark martin mary matthew megan melissa michael michelle mhairi morag
    murray nathan neil nicola niamh noah oliver olivia paul paula peter rachel rebecca rhona
    richard robbie robert robyn rory ross rowan ruaridh ryan sam samantha samuel sandra sarah
    scott sean shannon sharon shona sophie stacey stephen steven stuart susan tom thomas tracey
    tyler victoria wendy william zoe grace hope faith joy rose may june april dawn summer sandy
    will bill iona
    """
)
SURNAMES = _words(
    """
    allan anderson armstrong baird bell black boyd brown buchanan burns cameron campbell clark
    craig crawford cunningham davidson docherty doherty donaldson douglas duncan ferguson
    findlay fleming forbes fraser gallacher gibson gillespie gordon graham grant gray grey
    hamilton henderson hill hughes hunter jamieson johnston johnstone kelly kennedy kerr king
    kirk lamont lindsay livingstone logan macdonald macfarlane mackay mackenzie mackie maclean
    macleod macpherson marshall martin mcallister mccallum mcdonald mcgregor mcinnes mcintosh
    mcintyre mckay mckenzie mclean mcleod mcmillan mcneil mcpherson miller milne mitchell moore
    morrison muir munro murray paterson patterson reid robertson ross russell scott shaw simpson
    sinclair smith stewart stevenson sutherland taylor thomson thompson walker wallace watson
    watt white wilson wood wright young
    """
)
# Names that are also everyday English words: names only beside another name or a title.
AMBIGUOUS = _words(
    """
    will grace hope faith joy mark bill rose may june april august sandy dawn summer jack young
    brown black white grey gray green king hill wood bell kirk hunter miller grant
    """
)
COUNCIL_AREAS = (
    "Aberdeen City",
    "Aberdeen",
    "Aberdeenshire",
    "Angus",
    "Argyll and Bute",
    "City of Edinburgh",
    "Edinburgh",
    "Clackmannanshire",
    "Dumfries and Galloway",
    "Dundee City",
    "Dundee",
    "East Ayrshire",
    "East Dunbartonshire",
    "East Lothian",
    "East Renfrewshire",
    "Falkirk",
    "Fife",
    "Glasgow City",
    "Glasgow",
    "Highland",
    "Inverclyde",
    "Midlothian",
    "Moray",
    "Na h-Eileanan Siar",
    "Western Isles",
    "North Ayrshire",
    "North Lanarkshire",
    "Orkney Islands",
    "Orkney",
    "Perth and Kinross",
    "Renfrewshire",
    "Scottish Borders",
    "Shetland Islands",
    "Shetland",
    "South Ayrshire",
    "South Lanarkshire",
    "Stirling",
    "West Dunbartonshire",
    "West Lothian",
    "Ayrshire",
    "Lanarkshire",
)
TOWNS = (
    "Ayr",
    "Prestwick",
    "Troon",
    "Girvan",
    "Maybole",
    "Dailly",
    "Dundonald",
    "Ballantrae",
    "Barrhill",
    "Kilmarnock",
    "Cumnock",
    "Irvine",
    "Saltcoats",
    "Ardrossan",
    "Largs",
    "Kilwinning",
    "Stevenston",
    "Paisley",
    "Greenock",
    "Hamilton",
    "Motherwell",
    "Coatbridge",
    "Airdrie",
    "East Kilbride",
    "Cumbernauld",
    "Livingston",
    "Kirkcaldy",
    "Dunfermline",
    "Glenrothes",
    "Perth",
    "Inverness",
    "Elgin",
    "Fort William",
    "Oban",
    "Dumfries",
    "Stranraer",
    "Galashiels",
    "Hawick",
    "Arbroath",
    "Montrose",
    "Peterhead",
    "Fraserburgh",
    "Kirkwall",
    "Lerwick",
    "Stornoway",
    "Dumbarton",
    "Clydebank",
    "Bathgate",
    "Musselburgh",
    "Dalkeith",
    "Alloa",
    "Grangemouth",
    "Wishaw",
    "Rutherglen",
)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sister|Nurse|Sergeant|Sgt|PC|DC|Cllr|Councillor)"
_CAPITALISED = r"(?:Mc|Mac|O')?[A-Z][a-zA-Z'\u2019-]+"

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)"
)
_DATES = [
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(rf"\b{_ORDINAL}(?:\s+of)?\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+{_ORDINAL}(?:,?\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{4}}\b"),
]
# A UK postcode ("KA7 1AA", "ka7 1aa", "ka71aa"), but not a school year and an ordinal ("S3
# 2nd year"); and a street: a house number and a street's name
# ("12 High Street", "4 Burns Crescent"), or a name ending in a word that only names streets
# ("Burns Crescent"; not "Way", "Place", "Walk" or "Close", which are ordinary words too).
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*(?!\d(?:st|nd|rd|th)\b)\d[A-Z]{2}\b", re.I)
_STREET_ONLY = "Street|Road|Avenue|Drive|Lane|Crescent|Terrace|Gardens|Wynd|Brae|Quadrant|Vennel"
_STREET_ALSO = "St|Rd|Ave|Place|Court|Way|Close|Square|Grove|Loan|Row|Walk|Circle|Park|View"
_NOT_A_STREET_NAME = r"(?!(?:The|A|An|At|In|On|To|From|Our|My|His|Her|Their|Your|And|Of|For|No)\b)"
_STREET_NAME = rf"(?:{_NOT_A_STREET_NAME}[A-Z][a-z'\u2019]+\s+){{1,3}}"
_STREET = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+{_STREET_NAME}(?:{_STREET_ONLY}|{_STREET_ALSO})\b"
    rf"|\b{_STREET_NAME}(?:{_STREET_ONLY})\b"
)
_TITLE_NAME = re.compile(rf"\b{_TITLES}\.?\s+(?:[A-Z]\.\s*)*{_CAPITALISED}(?:\s+{_CAPITALISED})?")
_NOT_A_NAME = r"(?!(?:At|In|On|To|From|The|Our|My|His|Her|Their|Your|A|An|And|Of|For|With)\b)"
_SCHOOL = re.compile(
    rf"\b(?:{_NOT_A_NAME}{_CAPITALISED}\s+){{1,3}}"
    r"(?:Academy|Primary School|Primary|High School|Grammar School|Nursery|Early Years Centre|"
    r"Family Centre)\b"
)


def _place_pattern() -> re.Pattern[str]:
    names = sorted({*COUNCIL_AREAS, *TOWNS}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b")


_PLACE = _place_pattern()
_WORD = re.compile(r"(?:Mc|Mac|O')?[A-Z][a-z'\u2019]+(?:-[A-Z][a-z'\u2019]+)?")


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    original: str
    replacement: str


@dataclass(frozen=True)
class Redaction:
    text: str
    replacements: tuple[Replacement, ...]

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def _is_name_word(word: str) -> bool:
    lowered = word.lower().replace("\u2019", "'")
    return lowered in FORENAMES or lowered in SURNAMES


def _name_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    words = [m for m in _WORD.finditer(text) if not _overlaps(m.start(), m.end(), taken)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not _is_name_word(words[i].group(0)):
            i += 1
            continue
        j = i
        # Join names separated only by a space (e.g. "Kirsty Wallace").
        while (
            j + 1 < len(words)
            and _is_name_word(words[j + 1].group(0))
            and text[words[j].end() : words[j + 1].start()] == " "
        ):
            j += 1
        run = words[i : j + 1]
        if len(run) > 1 or run[0].group(0).lower() not in AMBIGUOUS:
            spans.append((run[0].start(), run[-1].end()))
        i = j + 1
    return spans


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def redact(text: str) -> Redaction:
    """``text`` with personal names, places (streets and postcodes too), dates, emails and
    phone numbers replaced."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(pattern: re.Pattern[str], replacement: str) -> None:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if start == end or _overlaps(start, end, taken):
                continue
            found.append((start, end, replacement))
            taken.append((start, end))

    add(_EMAIL, EMAIL)
    add(_PHONE, PHONE)
    for pattern in _DATES:
        add(pattern, DATE)
    add(_POSTCODE, PLACE)
    add(_STREET, PLACE)
    add(_TITLE_NAME, NAME)
    add(_SCHOOL, PLACE)
    add(_PLACE, PLACE)
    for start, end in _name_spans(text, taken):
        found.append((start, end, NAME))
        taken.append((start, end))
    found.sort()
    pieces: list[str] = []
    replacements: list[Replacement] = []
    position = 0
    for start, end, replacement in found:
        pieces.append(text[position:start])
        pieces.append(replacement)
        replacements.append(Replacement(start, end, text[start:end], replacement))
        position = end
    pieces.append(text[position:])
    return Redaction(text="".join(pieces), replacements=tuple(replacements))


# --- a person's edit of a quote ------------------------------------------------------------------

REDACTED = "[redacted]"
OMITTED = "…"
MARKERS = (NAME, PLACE, DATE, EMAIL, PHONE, REDACTED, "[…]", "[...]", OMITTED, "...")
# Signs a person may add where they cut a quote short or join two parts of it.
_JOINING = frozenset(".,;:-\u2013\u2014")
_MARKER = re.compile("|".join(re.escape(m) for m in sorted(MARKERS, key=len, reverse=True)))
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _same(edited: str, original: str) -> bool:
    """A word of the edit matches a word of the extract: the same, or capitalised where a
    sentence now starts (never the other way, which would hide a name from redaction)."""
    return edited == original or (edited[:1].isupper() and edited == original.capitalize())


def invented(edited: str, extract: str) -> str | None:
    """The first word (or sign) of ``edited`` that is not taken from ``extract``, or ``None``
    when ``edited`` is ``extract`` with parts removed or replaced by a marker (``MARKERS``).

    Words and signs must come from the extract in its order; spacing may change, a word may
    be capitalised where a sentence now starts, and the signs in ``_JOINING`` may be added.
    """
    wanted = [t for t in _TOKEN.findall(_MARKER.sub(" ", edited)) if t not in _JOINING]
    available = iter(_TOKEN.findall(extract))
    for token in wanted:
        if not any(_same(token, candidate) for candidate in available):
            return token
    return None
