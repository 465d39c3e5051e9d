"""Demonstration qualitative evidence for South Ayrshire: survey free text from young people,
parents and carers and staff, focus-group and professional-discussion notes, a codebook linked
to the SHANARRI wellbeing indicators and the five areas for improvement, coding (with some
comments left for suggestions), a blind double-coded sample with its agreement, suggestions and
a quote bank.

Every comment is invented for the demonstration: they are built from phrases written for it,
and no real person said any of them. Nothing here comes from the NHS Friends and Family Test
data set, which is used only to measure speed and suggestion quality.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.inspections.models import AreaForImprovement
from scrutiny.places.models import Partnership
from scrutiny.qualitative import services
from scrutiny.qualitative.models import (
    CheckCoder,
    Code,
    Coding,
    Project,
    Quote,
    RespondentType,
    Source,
    SuggestionRun,
)

TITLE = "Views of children, families and staff 2024 to 2026"
CODER = "contributor@south-ayrshire.example"  # Kirsty Wallace codes first
SECOND_CODER = "lead@south-ayrshire.example"  # Jamie Boyd codes the check blind
SEED = 2026
START = date(2024, 4, 1)
MONTHS = 24


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    parent: str
    description: str
    colour: str
    shanarri: tuple[str, ...]
    areas: tuple[int, ...]  # numbers of South Ayrshire's areas for improvement


GROUPS = {
    "experience": (
        "Children's experiences",
        "What children and young people say about their lives and the help they get.",
    ),
    "help": ("Getting help", "How soon and how well children and families get help."),
    "services": ("How services work", "Planning, joint working, leadership and the workforce."),
}

THEMES = [
    Theme(
        "trust",
        "Trusted relationships",
        "experience",
        "A worker, carer or teacher the child trusts; continuity of the relationship.",
        "#0065bd",
        ("nurtured", "respected"),
        (),
    ),
    Theme(
        "heard",
        "Being listened to",
        "experience",
        "Children and families say their views were (or were not) asked for and acted on.",
        "#5e2d91",
        ("respected", "included"),
        (),
    ),
    Theme(
        "safe",
        "Feeling safe",
        "experience",
        "Feeling safe at home, in school and in the community; worries about harm.",
        "#d32205",
        ("safe",),
        (3,),
    ),
    Theme(
        "wellbeing",
        "Health and emotional wellbeing",
        "experience",
        "Mental health, emotional support, waits for CAMHS and health services.",
        "#00827a",
        ("healthy",),
        (4,),
    ),
    Theme(
        "school",
        "School and learning",
        "experience",
        "Attendance, support in school, exclusions, achievement.",
        "#b34700",
        ("achieving",),
        (),
    ),
    Theme(
        "activities",
        "Things to do",
        "experience",
        "Clubs, sport, youth work and places to go.",
        "#2e7d32",
        ("active", "included"),
        (),
    ),
    Theme(
        "waiting",
        "Waiting for help",
        "help",
        "Delays before help starts; being passed between services.",
        "#8b0000",
        ("nurtured", "healthy"),
        (2, 4),
    ),
    Theme(
        "early_help",
        "Early help that made a difference",
        "help",
        "Help given early, before problems grew, and what changed for the family.",
        "#1b5e20",
        ("nurtured", "included"),
        (2,),
    ),
    Theme(
        "poverty",
        "Money and the cost of living",
        "help",
        "Poverty, food, heating, transport and housing costs.",
        "#6d4c41",
        ("included", "achieving"),
        (2,),
    ),
    Theme(
        "teenagers",
        "Support for teenagers to stay at home",
        "help",
        "Help for young people aged 11 to 15 and their families at times of crisis.",
        "#ad1457",
        ("safe", "nurtured"),
        (3,),
    ),
    Theme(
        "plans",
        "Meetings and plans",
        "services",
        "Child's plans, reviews and meetings: clarity, involvement, follow-through.",
        "#283593",
        ("included", "responsible"),
        (4, 5),
    ),
    Theme(
        "joint",
        "Services working together",
        "services",
        "Information sharing and joint working between agencies.",
        "#00695c",
        ("safe",),
        (5,),
    ),
    Theme(
        "turnover",
        "Staff changes and workload",
        "services",
        "Caseloads, vacancies and changes of worker.",
        "#4e342e",
        ("nurtured",),
        (4,),
    ),
    Theme(
        "leadership",
        "Leadership and direction",
        "services",
        "Whether leaders set direction, listen to staff and check progress.",
        "#37474f",
        (),
        (1, 5),
    ),
]

WORKERS = [
    "social worker",
    "key worker",
    "support worker",
    "family support worker",
    "guidance teacher",
    "health visitor",
]
WAITS = [
    "six months",
    "nearly a year",
    "four months",
    "eight weeks",
    "the whole summer",
    "over a year",
]

# Sentences for each theme, as each group of people might say them. {worker} and {wait} vary.
PHRASES: dict[str, dict[str, list[str]]] = {
    "child": {
        "trust": [
            "My {worker} actually listens and I trust her.",
            "I have one adult at school I can talk to about anything.",
            "My carer is the first person who has stuck by me.",
            "I like that my {worker} texts back when she says she will.",
            "My {worker} knows me properly now and doesn't make me repeat everything.",
            "I get on really well with my foster carers, they feel like family.",
            "It helps having someone who remembers what I told them last time.",
        ],
        "heard": [
            "Nobody asked me what I wanted before they decided.",
            "I got to say what I thought at my review and they changed the plan.",
            "Adults talk about me like I'm not in the room.",
            "I wish they would ask me instead of my mum all the time.",
            "They wrote down what I said but nothing happened after.",
            "I liked filling in the form about my views before the meeting.",
        ],
        "safe": [
            "I feel safe where I live now.",
            "I don't feel safe walking home from school in the dark.",
            "Things at home are much calmer than they were.",
            "Sometimes I still worry about my dad coming back.",
            "I know who to tell if something bad happens.",
            "Online stuff scares me more than anything in real life.",
        ],
        "wellbeing": [
            "I waited ages to see someone about my anxiety.",
            "The counsellor at school really helped me with my panic attacks.",
            "I don't sleep well and nobody has asked about it.",
            "Talking to the school nurse made me feel less alone.",
            "I was told CAMHS had a waiting list of {wait}.",
        ],
        "school": [
            "I was off school a lot last year and nobody noticed for weeks.",
            "My teachers give me extra time and it makes a big difference.",
            "I got excluded and then had nothing to do for days.",
            "I'm doing better in maths since I got a tutor.",
            "School is hard when you keep moving placements.",
        ],
        "activities": [
            "There's nothing to do round here at night.",
            "The youth club is the best thing in my week.",
            "I started football again and it helps my head.",
            "I'd go to more clubs if the bus wasn't so dear.",
            "Going to the summer programme was brilliant.",
        ],
        "turnover": [
            "I've had four social workers in two years.",
            "Every time I get used to someone they leave.",
            "My worker changed and nobody told me until she'd gone.",
        ],
        "plans": [
            "I don't really know what my plan says.",
            "The meetings are long and full of words I don't understand.",
            "I liked that my meeting was at a time I didn't miss school.",
        ],
        "teenagers": [
            "When things kicked off at home I thought I'd have to leave, but they helped us sort it.",
            "I wanted to stay with my mum and they listened.",
            "I ended up in a children's house because there was no help before it got bad.",
        ],
    },
    "parent": {
        "waiting": [
            "We waited {wait} for any help with our son.",
            "I asked for help three times before anyone came out.",
            "We were passed from one service to another and nobody took us on.",
            "By the time help came, things had got much worse at home.",
            "The waiting list for the parenting group was {wait}.",
            "I was told to phone back in a month, then again, then again.",
        ],
        "early_help": [
            "The family support team came within a week and it changed everything.",
            "Getting help early stopped things from spiralling.",
            "The health visitor spotted we were struggling and got us support straight away.",
            "The parenting course gave me ways to handle the meltdowns.",
            "Having someone come to the house made it easier to ask for help.",
            "Our {worker} helped before things got to crisis point.",
        ],
        "poverty": [
            "We can't afford the heating and the kids feel it.",
            "The food bank voucher got us through the worst weeks.",
            "The bus fare to appointments is more than we can manage.",
            "Help with the school uniform grant made a real difference.",
            "I work two jobs and still can't make ends meet.",
            "Nobody told us what benefits we could claim until the {worker} did.",
        ],
        "heard": [
            "For once someone listened to what we actually needed.",
            "I felt judged rather than listened to.",
            "They asked my opinion but had already made up their minds.",
            "Staff treated me with respect and explained everything.",
        ],
        "plans": [
            "Nobody told us what was happening after the meeting.",
            "The plan had actions but nobody checked they were done.",
            "I got the minutes of the review months later.",
            "The meetings were clear and we knew who was doing what.",
            "We were given the plan in writing and it made sense.",
        ],
        "turnover": [
            "We've had so many different workers we've stopped counting.",
            "Just as we built trust with our {worker}, she moved on.",
            "The staff are lovely but clearly run off their feet.",
        ],
        "joint": [
            "School and social work never seemed to talk to each other.",
            "I had to tell my story again to every new service.",
            "The nurse and the school worked together and it showed.",
        ],
        "teenagers": [
            "When our daughter was fourteen we were at breaking point and there was nothing for teenagers.",
            "The outreach team worked with our son in the evenings and he's still at home.",
            "I felt the only option offered was for him to go into care.",
            "Help for teenagers seems to start only when it's an emergency.",
        ],
        "trust": [
            "Our {worker} is honest with us, even when it's hard to hear.",
            "I trust the family support worker more than anyone else involved.",
        ],
        "wellbeing": [
            "My child waited {wait} to be seen for their mental health.",
            "The school counsellor was a lifeline for my daughter.",
        ],
    },
    "carer": {
        "heard": [
            "As kinship carers we feel forgotten.",
            "Our views as foster carers are asked for and taken seriously.",
        ],
        "poverty": [
            "The kinship allowance doesn't cover what it costs to raise a teenager.",
            "We had to give up work to care for our grandchildren.",
        ],
        "plans": [
            "We weren't invited to the review even though he lives with us.",
            "The child's plan was shared with us and we knew what to do.",
        ],
        "trust": [
            "The link worker is always at the end of the phone.",
            "Our supervising social worker knows the children well.",
        ],
        "waiting": [
            "We asked for respite and waited {wait}.",
        ],
    },
    "staff": {
        "turnover": [
            "Caseloads are too high to do proper direct work.",
            "We've had long-term vacancies in the team for over a year.",
            "Constant changes of worker undo the trust we build with families.",
            "Agency staff come and go and the children notice.",
            "I spend more time on paperwork than with children.",
            "Sickness absence in the team means everyone is covering extra cases.",
        ],
        "joint": [
            "Information sharing with health has improved a lot this year.",
            "We still find out about police concerns days later.",
            "The inter-agency referral discussions work well and are timely.",
            "Education and social work plan together far better than they used to.",
            "Each agency has its own system and nothing links up.",
            "The weekly joint meeting means we hear about worries early.",
        ],
        "leadership": [
            "Senior leaders are visible and I feel listened to.",
            "I don't know what the partnership's priorities are.",
            "Managers are supportive but the direction from the top is unclear.",
            "Leaders have started asking staff what would make a difference.",
            "There are too many strategies and not enough follow-through.",
            "The new chief officer has set out clear priorities for children.",
        ],
        "early_help": [
            "The new early help hub means families get support before crisis.",
            "We can offer help to families quickly without a referral form.",
            "Early help in the rural areas is still patchy.",
            "Family support at the first sign of difficulty is working.",
            "The request for assistance route is quicker than it was.",
        ],
        "waiting": [
            "Families wait too long between referral and allocation.",
            "CAMHS waiting times leave us holding risk for months.",
            "There's a waiting list for almost everything we refer to.",
            "Children wait {wait} for a specialist assessment.",
        ],
        "poverty": [
            "More families are coming to us because of money worries than anything else.",
            "Poverty is behind most of the neglect referrals I see.",
            "The cost of travel to the town centre stops families using services.",
            "Income maximisation support has helped several of my families.",
        ],
        "plans": [
            "Plans are not always SMART and reviews slip.",
            "Chronologies are hard to keep up to date with our caseloads.",
            "The new plan template helps us focus on outcomes.",
            "Reviews are happening on time more often now.",
        ],
        "teenagers": [
            "We have nothing to offer 13 to 15 year olds before it reaches crisis.",
            "The edge of care service has kept several young people at home.",
            "Too many teenagers come into care in an emergency.",
            "Evening and weekend support for families of teenagers is missing.",
        ],
        "heard": [
            "We use Mind of My Own so children can tell us their views.",
            "Children's views are recorded but not always acted on.",
        ],
        "safe": [
            "Risk assessments are of a good standard.",
            "Initial responses to concerns are prompt and well co-ordinated.",
            "I worry about exploitation of older children in the town.",
        ],
        "wellbeing": [
            "Emotional wellbeing is the biggest need we see in schools.",
            "The counselling service in schools has made a real difference.",
        ],
    },
}

OPENERS = [
    "",
    "",
    "",
    "",
    "Honestly, ",
    "To be fair, ",
    "Overall, ",
    "I think ",
    "Mostly, ",
    "Sadly, ",
]
AGENCIES = [
    "social_work",
    "education",
    "health",
    "health",
    "education",
    "police",
    "third_sector",
    "council",
]
ROLES = {
    "social_work": [
        "Social worker",
        "Senior social worker",
        "Family support worker",
        "Team manager",
    ],
    "education": ["Teacher", "Guidance teacher", "Depute head teacher", "Pupil support assistant"],
    "health": ["Health visitor", "School nurse", "CAMHS nurse", "Paediatrician"],
    "police": ["Police constable", "Detective sergeant"],
    "third_sector": ["Youth worker", "Family support worker"],
    "council": ["Housing officer", "Community learning worker"],
}

# Some comments carry names and places, so the quote bank has something to redact.
NAMED = [
    (
        "parent",
        "Mrs McLean at Belmont Academy in Ayr phoned me every week until things settled.",
        ("trust", "early_help"),
    ),
    (
        "child",
        "Kirsty from the youth club in Girvan is the only adult I really trust.",
        ("trust", "activities"),
    ),
    (
        "parent",
        "We moved to Troon on 3 March 2025 and waited until August for a new worker.",
        ("waiting", "turnover"),
    ),
    (
        "staff",
        "Dr Shah in Prestwick has been brilliant at joining up health and social work.",
        ("joint",),
    ),
    ("carer", "Our link worker Fiona Reid rang on 07700 900123 the same day we asked.", ("trust",)),
]


def _month_weight(key: str, month: int) -> float:
    """How likely a theme is in a month (0 = April 2024): waiting falls and early help rises
    after the early help hub opens (autumn 2025), as a partnership would hope to show."""
    if key == "waiting":
        return 1.6 if month < 17 else 0.6
    if key == "early_help":
        return 0.6 if month < 17 else 1.8
    return 1.0


def _comment(rng: random.Random, who: str, month: int) -> tuple[str, tuple[str, ...]]:
    bank = PHRASES[who]
    keys = list(bank)
    weights = [_month_weight(k, month) for k in keys]
    first = rng.choices(keys, weights=weights)[0]
    chosen = [first]
    if rng.random() < 0.35:
        second = rng.choices(keys, weights=weights)[0]
        if second != first:
            chosen.append(second)
    sentences = []
    for key in chosen:
        sentence = rng.choice(bank[key]).format(worker=rng.choice(WORKERS), wait=rng.choice(WAITS))
        sentences.append(sentence)
    opener = rng.choice(OPENERS)
    text = " ".join(sentences)
    if opener and text[0].isupper() and not text.startswith("I "):
        text = opener + text[0].lower() + text[1:]
    return text, tuple(chosen)


@dataclass
class _Row:
    text: str
    who: str
    agency: str
    role: str
    when: date
    themes: tuple[str, ...]


def _rows(rng: random.Random, who: str, count: int, unique: set[str]) -> list[_Row]:
    rows: list[_Row] = []
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        month = rng.randrange(MONTHS)
        text, themes = _comment(rng, who, month)
        if text in unique:
            continue
        unique.add(text)
        when = START + timedelta(days=30 * month + rng.randrange(28))
        agency = role = ""
        if who == "staff":
            agency = rng.choice(AGENCIES)
            role = rng.choice(ROLES[agency])
        rows.append(_Row(text, who, agency, role, when, themes))
    return rows


FOCUS_GROUP = """Focus group with care-experienced young people, Ayr, 12 March 2026 (demonstration notes).
Eight young people aged 13 to 17 took part; two youth workers facilitated.
Most said the thing that mattered most was having one adult who stuck with them.
Several described having many changes of social worker and having to tell their story again each time.
A young person said: "When my worker left nobody told me, I just got a letter with a new name."
Young people valued the youth club and the summer programme, but said buses cost too much to get there.
They said meetings about them were long, used words they did not understand and were often held in school time.
Two young people said they had been asked their views and could see that their plan changed as a result.
Asked what would help, they said: workers who stay, being asked before decisions are made, and somewhere to go in the evenings."""

DISCUSSION = """Professional discussion with the family support team, 4 February 2026 (demonstration notes).
The team described the early help hub that opened in autumn 2025: families can ask for help directly without a referral form.
Staff said requests are now usually picked up within a week, where before families waited several months.
Workers said poverty is behind most requests: heating, food and the cost of travel to appointments.
The team has started income maximisation checks with every family and several families are now better off.
Managers said there is still little to offer families of teenagers in the evenings and at weekends.
Staff said caseloads remain high and two posts have been vacant for most of the year.
They described better information sharing with health visitors since the weekly joint meeting started."""

CASE_STUDY = """Case study: a family supported to stay together (demonstration content).
A mother of three asked the early help hub for support after her eldest, aged 14, stopped attending school.
A family support worker visited within five days and agreed a plan with the family and the school.
The plan included help with the school uniform grant, a youth work place for the young person, and evening support at home.
After three months the young person was attending school most days and the family said home felt calmer.
The mother said: "For once someone listened to what we actually needed.\""""


def build_south_ayrshire() -> None:
    partnership = Partnership.objects.get(slug="south-ayrshire")
    if Project.objects.filter(partnership=partnership, title=TITLE).exists():
        return
    coder = User.objects.get(email=CODER)
    second = User.objects.get(email=SECOND_CODER)
    project = services.project_create(
        partnership=partnership,
        title=TITLE,
        description="Free-text answers from the partnership's surveys of young people, parents and "
        "carers, and staff, with focus-group and professional-discussion notes, coded against "
        "the SHANARRI wellbeing indicators and the five areas for improvement from the 2016 "
        "inspection. Demonstration content: every comment is invented.",
        by=coder,
    )
    codes = _codebook(project, partnership)
    rng = random.Random(SEED)
    unique: set[str] = set()
    young, families, staff = (
        "Young people's survey: what is it like for you?",
        "Parents' and carers' survey: your experience of support",
        "Staff survey: what helps and what gets in the way",
    )
    groups = {
        young: _rows(rng, "child", 185, unique),
        families: _rows(rng, "parent", 170, unique) + _rows(rng, "carer", 30, unique),
        staff: _rows(rng, "staff", 250, unique),
    }
    for who, text, themes in NAMED:
        title = {"child": young, "staff": staff}.get(who, families)
        agency, role = ("health", "Paediatrician") if who == "staff" else ("", "")
        groups[title].append(_Row(text, who, agency, role, START + timedelta(days=400), themes))
    sources: list[tuple[Source, list[_Row]]] = []
    for title, rows in groups.items():
        rows.sort(key=lambda r: r.when)
        source = services.comments_add(
            project=project,
            title=title,
            kind=Source.Kind.SURVEY,
            rows=[(r.text, r.who, r.agency, r.role, r.when, "") for r in rows],
            defaults=services.Attributes(
                origin="South Ayrshire partnership survey (demonstration)",
                # Who answered, when they are all of one kind (not the parents' and carers').
                respondent_type=rows[0].who
                if len({r.who for r in rows}) == 1
                else RespondentType.UNKNOWN,
            ),
            by=coder,
        )
        sources.append((source, rows))
    _code_comments(rng, sources, codes, coder)
    _notes(project, codes, coder)
    _check(rng, project, sources, codes, coder, second)
    _suggestions(project, coder)
    _quotes(project, coder, second)
    _measures(partnership, codes, second)


def _measures(partnership: Partnership, codes: dict[str, Code], lead: User) -> None:
    """What families say about waiting for help measures the success of the family support
    team's extension, beside the figures (shown on the action's page)."""
    from scrutiny.improvement import services as improvement
    from scrutiny.improvement.models import Action

    action = Action.objects.filter(
        plan__partnership=partnership, title__startswith="Extend the family support team"
    ).first()
    if action is not None and not action.measures.exists():
        improvement.measure_link_add(
            action=action,
            obj=codes["waiting"],
            note="Fewer families should say they waited for help (demonstration content).",
            by=lead,
        )


def _codebook(project: Project, partnership: Partnership) -> dict[str, Code]:
    areas = {
        a.number: a
        for a in AreaForImprovement.objects.filter(
            inspection__partnership=partnership, inspection__status="published"
        ).order_by("-inspection__publication_date", "number")
    }
    parents = {
        key: services.code_add(
            project=project, name=name, description=description, colour="#333333"
        )
        for key, (name, description) in GROUPS.items()
    }
    codes: dict[str, Code] = {}
    for theme in THEMES:
        codes[theme.key] = services.code_add(
            project=project,
            name=theme.name,
            description=theme.description,
            colour=theme.colour,
            parent=parents[theme.parent],
            shanarri=theme.shanarri,
            areas=[areas[n] for n in theme.areas if n in areas],
        )
    return codes


def _code_comments(
    rng: random.Random,
    sources: list[tuple[Source, list[_Row]]],
    codes: dict[str, Code],
    coder: User,
) -> None:
    """The first coder codes about four in five comments, as a person would: mostly the
    themes each comment carries, now and then missing one or adding a neighbour."""
    keys = list(codes)
    made = []
    for source, rows in sources:
        segments = list(source.segments.order_by("position"))
        for segment, row in zip(segments, rows, strict=True):
            if rng.random() < 0.2:
                continue
            themes = [t for t in row.themes if rng.random() > 0.06]
            if rng.random() < 0.04:
                themes.append(rng.choice(keys))
            for key in dict.fromkeys(themes or row.themes[:1]):
                made.append(
                    Coding(
                        source=source,
                        segment=segment,
                        code=codes[key],
                        start=segment.start,
                        end=segment.end,
                        text=segment.text,
                        coder=coder,
                        created_at=_moment(segment.date),
                    )
                )
    Coding.objects.bulk_create(made, batch_size=2000)


def _moment(day: date | None) -> datetime:
    when = datetime.combine((day or START) + timedelta(days=10), time(10, 0))
    return timezone.make_aware(min(when, datetime(2026, 3, 31, 10, 0)))


def _notes(project: Project, codes: dict[str, Code], coder: User) -> None:
    spans = {
        "Focus group with care-experienced young people": (
            FOCUS_GROUP,
            Source.Kind.FOCUS_GROUP,
            services.Attributes(
                respondent_type="child",
                collected_on=date(2026, 3, 12),
                origin="Youth participation team",
            ),
            [
                ("one adult who stuck with them", "trust"),
                ("many changes of social worker", "turnover"),
                ("buses cost too much to get there", "poverty"),
                ("meetings about them were long, used words they did not understand", "plans"),
                ("could see that their plan changed as a result", "heard"),
                ("somewhere to go in the evenings", "activities"),
            ],
        ),
        "Professional discussion: family support team": (
            DISCUSSION,
            Source.Kind.DISCUSSION,
            services.Attributes(
                respondent_type="staff", agency="social_work", collected_on=date(2026, 2, 4)
            ),
            [
                ("families can ask for help directly without a referral form", "early_help"),
                ("before families waited several months", "waiting"),
                ("poverty is behind most requests", "poverty"),
                (
                    "little to offer families of teenagers in the evenings and at weekends",
                    "teenagers",
                ),
                ("caseloads remain high", "turnover"),
                ("better information sharing with health visitors", "joint"),
            ],
        ),
        "Case study: a family supported to stay together": (
            CASE_STUDY,
            Source.Kind.CASE_STUDY,
            services.Attributes(respondent_type="parent", collected_on=date(2026, 3, 2)),
            [
                ("visited within five days", "early_help"),
                ("help with the school uniform grant", "poverty"),
                ("the young person was attending school most days", "school"),
                ("For once someone listened to what we actually needed.", "heard"),
            ],
        ),
    }
    for title, (text, kind, attributes, codings) in spans.items():
        source = services.source_add_text(
            project=project, kind=kind, title=title, text=text, attributes=attributes, by=coder
        )
        for phrase, key in codings:
            start = source.text.index(phrase)
            services.coding_add(
                source=source, code=codes[key], start=start, end=start + len(phrase), by=coder
            )


def _check(
    rng: random.Random,
    project: Project,
    sources: list[tuple[Source, list[_Row]]],
    codes: dict[str, Code],
    coder: User,
    second: User,
) -> None:
    """A blind double-coded sample of 50 comments: the second coder mostly agrees."""
    check = services.check_create(
        project=project,
        title="Double coding of the spring 2026 surveys",
        unit="comment",
        first_coder=coder,
        coders=[second],
        sources=[source for source, _ in sources[1:]],
        sample_size=50,
        seed=SEED,
        by=second,
    )
    truth: dict[int, tuple[str, ...]] = {}
    for source, rows in sources:
        for segment_id, row in zip(
            source.segments.order_by("position").values_list("pk", flat=True), rows, strict=True
        ):
            truth[segment_id] = row.themes
    keys = list(codes)
    choices = {}
    for segment in check.segments.all():
        themes = [t for t in truth[segment.pk] if rng.random() > 0.1]
        if rng.random() < 0.12:
            themes.append(rng.choice(keys))
        choices[segment.pk] = [codes[k].pk for k in dict.fromkeys(themes)]
    services.check_code_segments(check=check, coder=second, choices=choices)
    CheckCoder.objects.filter(check_run=check, user=second).update(
        finished_at=_moment(date(2026, 3, 20))
    )


def _suggestions(project: Project, coder: User) -> None:
    """Train the suggestion model here rather than in the background, so the demo has some."""
    run = SuggestionRun.objects.create(project=project, created_by=coder)
    services.suggestion_run_execute(run_id=run.pk)


def _quotes(project: Project, coder: User, confirmer: User) -> None:
    codings = Coding.objects.filter(
        source__project=project, check_run__isnull=True, segment__isnull=False
    ).select_related("segment", "code", "source")
    wanted = [
        "Mrs McLean at Belmont Academy",
        "Kirsty from the youth club",
        "The family support team came within a week",
        "I've had four social workers in two years.",
        "Caseloads are too high",
        "The new early help hub",
        "We can't afford the heating",
    ]
    for index, start in enumerate(wanted):
        coding = next((c for c in codings if c.text.startswith(start) or start in c.text), None)
        if coding is None or Quote.objects.filter(coding=coding).exists():
            continue
        quote = services.quote_add(coding=coding, by=coder)
        if index < 5:
            services.quote_confirm(
                quote=quote, redacted=quote.redacted, note="", checked=True, by=confirmer
            )
