"""The report editors' Markdown, read into the pieces of a report (markdown-it-py, CommonMark).

The window's report editor (a QTextEdit) saves its text as Markdown: a 标题 is `# …`, a 小标题
`## …` (or deeper), 加粗 is `**…**`, and it escapes marks such as `\\*`. None of that markup may reach
paper: a heading becomes a report heading, a 小标题 a heading of the second level, bold text a bold
run, escapes their character. Lists keep their numbers as text. As in the editor (CommonMark), a
single line break inside a paragraph joins its lines; a blank line separates paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from forms.documents.model import Span

Level = Literal["heading", "subheading", "text"]
_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Piece:
    """A heading (level 1), a sub-heading (level 2 and deeper) or a paragraph, as (text, bold) runs."""

    level: Level
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _bold in self.spans)


def _inline_spans(children: list[Token]) -> list[Span]:
    """The runs of an inline token's children: text with its weight, soft breaks joined (Chinese has
    no spaces between words)."""
    spans: list[Span] = []
    bold = 0
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold = max(0, bold - 1)
        elif child.type in ("text", "code_inline", "html_inline"):
            spans.append((child.content, bold > 0))
        elif child.type == "softbreak" and spans and _latin_end(spans[-1][0]):
            spans.append((" ", bold > 0))  # a wrapped line joins its paragraph; Chinese needs no space
    return spans


def _latin_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and text[-1].isalnum()


def _lines(token: Token) -> Iterator[list[Span]]:
    """A paragraph's lines: a hard break (two spaces or a backslash at a line's end) starts a new one."""
    group: list[Token] = []
    for child in token.children or []:
        if child.type == "hardbreak":
            yield _inline_spans(group)
            group = []
        else:
            group.append(child)
    yield _inline_spans(group)


def pieces(markdown: str) -> list[Piece]:
    """The headings and paragraphs of `markdown`, in order; empty paragraphs are dropped."""
    out: list[Piece] = []
    level: Level = "text"
    prefix = ""
    numbers: list[int] = []
    tokens = _PARSER.parse(markdown)
    for token in tokens:
        if token.type == "heading_open":
            level = "heading" if token.tag == "h1" else "subheading"
        elif token.type in ("heading_close", "paragraph_close"):
            level = "text"
        elif token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif token.type == "ordered_list_close":
            numbers.pop()
        elif token.type == "list_item_open" and token.info:
            prefix = f"{token.info}{token.markup if token.markup in '.)' else '.'} " if numbers else ""
        elif token.type == "inline":
            for spans in _lines(token):
                if prefix:
                    spans.insert(0, (prefix, False))
                    prefix = ""
                piece = Piece(level, tuple(s for s in spans if s[0]))
                if piece.text.strip():
                    out.append(piece)
    return out
