"""Article body Markdown → body blocks and figures.

What an article body may hold: paragraphs (``**…**`` at the very start is a run-in head),
``##`` subheads, ``>`` quotations, and images (alt = caption, title = credit). Anything
else (lists, tables, raw HTML, headings other than ## and ###) is refused with its line
number, because silently flattening it would change what the editor wrote.

Chinese has no spaces between lines: a soft line break inside a paragraph joins the two
lines directly, unlike English Markdown where it becomes a space.
"""

from __future__ import annotations

import copy
import functools

from markdown_it import MarkdownIt
from markdown_it.token import Token

from typeset.errors import TypesetError
from typeset.readers import emphasis

_PARSER = emphasis.install(MarkdownIt("commonmark"))


def parse_body(text: str, *, line_offset: int = 0) -> tuple[list[dict], list[dict]]:
    """Return (blocks, figures) as plain dicts ready for model validation (new ones on
    every call: the caller may change them)."""
    blocks, figures = _parsed(text, line_offset)
    return copy.deepcopy(blocks), copy.deepcopy(figures)


@functools.lru_cache(maxsize=1024)
def _parsed(text: str, line_offset: int) -> tuple[list[dict], list[dict]]:
    """:func:`parse_body`, remembered: ``typeset build --watch`` reads every article
    again on each save, and parsing was two thirds of reading an issue."""
    tokens = _PARSER.parse(text)
    blocks: list[dict] = []
    figures: list[dict] = []
    in_quote = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = (token.map[0] + 1 + line_offset) if token.map else None
        if token.type == "blockquote_open":
            in_quote = True
        elif token.type == "blockquote_close":
            in_quote = False
        elif token.type == "heading_open":
            if token.tag not in ("h2", "h3"):
                raise _unsupported(f"heading {token.markup}", line,
                                   "use ## for subheads; the headline goes in front matter")
            blocks.append({"type": "subhead",
                           "text": _plain(tokens[index + 1].children or [], line)})
            index += 2
        elif token.type == "inline":
            images = [c for c in token.children or [] if c.type == "image"]
            if images and all(c.type in ("image", "softbreak") for c in token.children):
                figures.extend(_figure(image) for image in images)
            elif images:
                raise _unsupported("image inside text", line, "put the image on its own line")
            elif in_quote:
                blocks.append({"type": "quote", "spans": _spans(token.children, line)})
            else:
                blocks.append(_paragraph(token, line))
        elif token.type not in ("paragraph_open", "paragraph_close", "heading_close"):
            raise _unsupported(token.type.replace("_open", ""), line)
        index += 1
    return blocks, figures


def _unsupported(what: str, line: int | None, hint: str = "") -> TypesetError:
    where = f"line {line}: " if line else ""
    return TypesetError(f"{where}{what} is not supported in an article body"
                        + (f" ({hint})" if hint else ""), field="body")


def _plain(children: list[Token], line: int | None) -> str:
    """Inline content as plain text (subheads and run-in heads carry no inner styling)."""
    return "".join(span["text"] for span in _spans(children, line))


def _figure(image: Token) -> dict:
    figure = {"image": image.attrs.get("src", ""), "caption": image.content}
    if image.attrs.get("title"):
        figure["credit"] = image.attrs["title"]
    return figure


def _paragraph(inline: Token, line: int | None) -> dict:
    """A paragraph; a bold run at its very start becomes the run-in head.

    The run-in head is cut from the source text, not taken from the parsed emphasis:
    CommonMark does not close ``**`` between "。" and a Han character
    (``**系统谋划抓推动。**建立…``), which is exactly how run-in heads are written.
    """
    run_in = None
    children = inline.children or []
    source = inline.content
    end = source.find("**", 2)
    if source.startswith("**") and end > 2 and source[end + 2:].strip():
        run_in = _plain(_PARSER.parseInline(source[2:end])[0].children or [], line)
        children = _PARSER.parseInline(source[end + 2:])[0].children or []
    paragraph = {"type": "paragraph", "spans": _spans(children, line)}
    if run_in:
        paragraph["run_in"] = run_in
    return paragraph


def _spans(children: list[Token], line: int | None) -> list[dict]:
    """Flatten inline tokens into spans, merging neighbours of the same style."""
    spans: list[dict] = []
    strong = emphasis = False
    for child in children:
        if child.type in ("strong_open", "strong_close"):
            strong = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            emphasis = child.type == "em_open"
        elif child.type in ("text", "code_inline", "softbreak", "hardbreak"):
            text = child.content if child.type in ("text", "code_inline") else ""
            if not text:
                continue
            if spans and spans[-1]["strong"] == strong and spans[-1]["emphasis"] == emphasis:
                spans[-1]["text"] += text
            else:
                spans.append({"text": text, "strong": strong, "emphasis": emphasis})
        else:
            raise _unsupported(child.type.replace("_open", ""), line)
    return spans
