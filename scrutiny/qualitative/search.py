"""Full-text search over segments, one selector for two databases.

* SQLite: an FTS5 virtual table ``qualitative_segment_fts`` with external content (the
  ``qualitative_segment`` table), kept in step by three triggers, Porter stemming.
* PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` (English configuration)
  with a GIN index, queried through ``django.contrib.postgres.search`` (``SearchQuery``,
  ``SearchRank``) so the index is used and nothing is recomputed per row.

Neither object is known to the Django model, so ``migrations`` creates them through
``install`` for the database in use. A later migration that alters ``Segment`` on SQLite
rebuilds the table, which drops its triggers: such a migration must call ``install`` again
(``tests/qualitative/test_search.py`` would fail otherwise).

People type queries as they would in a web search: words (all must appear), "a phrase",
``-word`` (must not appear) and ``or``. PostgreSQL reads that syntax itself
(``websearch_to_tsquery``); for SQLite it is translated into FTS5 syntax here, quoting every
word so that nothing a person types is taken as FTS5 syntax.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "qualitative_segment_fts"
SEGMENT_TABLE = "qualitative_segment"

_SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS qualitative_segment_fts USING fts5(text, "
    "content='qualitative_segment', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS qualitative_segment_fts_ai AFTER INSERT ON qualitative_segment "
    "BEGIN INSERT INTO qualitative_segment_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS qualitative_segment_fts_ad AFTER DELETE ON qualitative_segment "
    "BEGIN INSERT INTO qualitative_segment_fts(qualitative_segment_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS qualitative_segment_fts_au AFTER UPDATE OF text "
    "ON qualitative_segment BEGIN "
    "INSERT INTO qualitative_segment_fts(qualitative_segment_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO qualitative_segment_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO qualitative_segment_fts(qualitative_segment_fts) VALUES ('rebuild')",
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
_POSTGRES_CREATE = [
    f"ALTER TABLE {SEGMENT_TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(text, ''))) STORED",
    f"CREATE INDEX IF NOT EXISTS qual_segment_search ON {SEGMENT_TABLE} USING gin (search_vector)",
]
_POSTGRES_DROP = [
    "DROP INDEX IF EXISTS qual_segment_search",
    f"ALTER TABLE {SEGMENT_TABLE} DROP COLUMN IF EXISTS search_vector",
]


_RANKED = (
    "SELECT f.id FROM (SELECT rowid AS id, rank AS r FROM qualitative_segment_fts "
    "WHERE qualitative_segment_fts MATCH %s ORDER BY rank) f "
    "JOIN (INNER_SQL) b ON b.hit = f.id ORDER BY f.r, f.id LIMIT %s OFFSET %s"
)


def install(schema_editor: Any) -> None:
    """Create the search index for the database in use (a migration's forward step)."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _SQLITE_CREATE, "postgresql": _POSTGRES_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def supported(conn: BaseDatabaseWrapper | None = None) -> bool:
    return (conn or connection).vendor in ("sqlite", "postgresql")


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(text: str) -> str:
    """A person's web-search-style query as a safe FTS5 query ('' when nothing to search).

    Words and "phrases" must all match; ``-word`` must not; ``or`` between two terms makes
    either do. Every word is quoted, so FTS5 operators typed by a person are plain words.
    """
    terms: list[tuple[bool, str]] = []  # (negated, quoted FTS5 term)
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(2) is None and raw.lower() == "or" and not negated:
            pending_or = bool(terms)
            continue
        words = _WORD.findall(raw)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if pending_or and terms and not negated and not terms[-1][0]:
            previous = terms.pop()[1]
            terms.append((False, f"({previous} OR {term})"))
        else:
            terms.append((negated, term))
        pending_or = False
    positive = [term for negated, term in terms if not negated]
    negative = [term for negated, term in terms if negated]
    if not positive:
        return ""
    query = " AND ".join(positive)
    for term in negative:
        query += f" NOT {term}"
    return query


def has_terms(text: str) -> bool:
    return bool(_WORD.search(text))


def matching(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """``queryset`` (of segments) narrowed to those matching ``text``, in no particular order
    (for counting; :func:`ranked_ids` gives the best matches first). On a database without
    full-text search, each word must appear (case-insensitive containment)."""
    vendor = connection.vendor
    if vendor == "sqlite":
        query = fts5_query(text)
        if not query:
            return queryset.none()
        return queryset.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM qualitative_segment_fts WHERE qualitative_segment_fts MATCH %s",
                [query],
            )
        )
    if vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return _postgres_vector(queryset).filter(
            document=SearchQuery(text, config="english", search_type="websearch")
        )
    words = _WORD.findall(text)
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(text__icontains=word)
    return queryset


def _postgres_vector(queryset: QuerySet[Any]) -> QuerySet[Any]:
    from django.contrib.postgres.search import SearchVectorField

    vector = RawSQL("qualitative_segment.search_vector", [], output_field=SearchVectorField())
    return queryset.annotate(document=vector)


def ranked_ids(queryset: QuerySet[Any], text: str, *, limit: int, offset: int = 0) -> list[int]:
    """Ids of the segments of ``queryset`` that match ``text``, best match first.

    SQLite: FTS5 ranks its matches (``rank``, BM25) in a derived table that is joined to the
    filtered segments, which SQLite flattens into one scan of the full-text index; ranking
    through ``bm25()`` after a join, or through ``rowid IN (...)``, is tens of times slower.
    PostgreSQL: ``ts_rank`` of the stored vector of the matching rows.
    """
    vendor = connection.vendor
    if vendor == "sqlite":
        query = fts5_query(text)
        if not query:
            return []
        inner, params = (
            queryset.order_by().annotate(hit=F("pk")).values("hit").query.sql_with_params()
        )
        # ``inner`` is SQL that Django compiled from the queryset; its values are parameters.
        sql = _RANKED.replace("INNER_SQL", inner)
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]
    if vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = SearchQuery(text, config="english", search_type="websearch")
        ranked = (
            _postgres_vector(queryset)
            .filter(document=search_query)
            .annotate(relevance=SearchRank(F("document"), search_query))
            .order_by("-relevance", "pk")
        )
        return list(ranked.values_list("pk", flat=True)[offset : offset + limit])
    return list(
        matching(queryset, text)
        .order_by("pk")
        .values_list("pk", flat=True)[offset : offset + limit]
    )
