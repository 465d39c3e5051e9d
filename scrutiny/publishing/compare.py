"""What a correction would change: the text of a published version against the report as it now
stands, block by block (headings, paragraphs, list items, table rows), so the lead inspector
sees exactly what readers will see change before publishing it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "caption", "tr", "dt", "dd", "figcaption"}
)
_CELLS = frozenset({"th", "td"})
_SPACE = re.compile(r"\s+")


class _TextBlocks(HTMLParser):
    """The text of each block element, in order; a table row is one block, cells joined by " | "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open: list[str] = []  # the block elements open, innermost last
        self._parts: list[str] = []

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._parts)).strip(" |")
        if text:
            self.blocks.append(text)
        self._parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and "tr" not in self._open:  # inside a table row, all is the row
            if self._open:
                self._flush()  # a list inside a list item, say: the outer text so far first
            self._open.append(tag)
        elif tag in _CELLS and self._parts:
            self._parts.append(" | ")
        elif tag == "br":
            self._parts.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt and self._open:
                self._parts.append(f" {alt} ")
            elif alt:
                self.blocks.append(_SPACE.sub(" ", alt).strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS and tag in self._open and (tag == "tr" or "tr" not in self._open):
            while self._open and self._open.pop() != tag:
                pass
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._open:
            self._parts.append(data)


def text_blocks(html: str) -> list[str]:
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


@dataclass(frozen=True)
class Change:
    """A block of text that goes (``removed``) or comes (``added``)."""

    kind: str  # "removed" or "added"
    text: str


def changes(published: str, current: str) -> list[Change]:
    """The blocks of ``published`` that ``current`` no longer has, and those it adds, in
    reading order (a changed paragraph is its old text, then its new)."""
    old, new = text_blocks(published), text_blocks(current)
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            found.extend(Change("removed", text) for text in old[i1:i2])
        if tag in ("replace", "insert"):
            found.extend(Change("added", text) for text in new[j1:j2])
    return found
