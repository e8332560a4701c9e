"""Article body Markdown → body blocks and figures.

What an article body may hold: paragraphs (``**…**`` at the very start is a run-in head),
``##`` subheads, ``>`` quotations, and images (alt = caption, title = credit). Anything
else (lists, tables, links, raw HTML, code blocks, rules, strikethrough, headings other
than ## and ###) is refused with its line number, because silently flattening it would
change what the editor wrote, and printing its marks literally would put Markdown in
the paper.

So the parser reads every construct it knows, even the ones refused: tables and
strikethrough are switched on, and every link destination is accepted (CommonMark
leaves ``[x](javascript:…)`` and ``![x](file:///…)`` as literal text, which would then
be printed). Destinations are kept as written, not percent-encoded, so
``![说明](images/雪景.jpg)`` names the file the editor sees; the model then decides
whether a path is allowed. An image line that CommonMark cannot read because its path
has spaces (``![说明](images/雪 景.jpg)``) is read as written too, and any other
``[…](…)`` left over in the text is refused rather than printed.

Chinese has no spaces between lines: a soft line break inside a paragraph joins the two
lines directly, unlike English Markdown where it becomes a space.
"""

from __future__ import annotations

import copy
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from typeset.errors import TypesetError
from typeset.messages import msg
from typeset.readers import emphasis

_PARSER = emphasis.install(MarkdownIt("commonmark").enable(["table", "strikethrough"]))
# Character references and escapes stay tokens of their own (``text_special``), so that
# a reference to no printable character (``&#0;``, which CommonMark turns into U+FFFD)
# is refused as written; _spans joins the text again.
_PARSER.core.ruler.disable("text_join")
_PARSER.validateLink = lambda url: True  # the model refuses what may not be used
_PARSER.normalizeLink = lambda url: url  # paths as written: no percent-encoding

#: An image line CommonMark does not read: ![caption](path with spaces "credit").
_LOOSE_IMAGE = re.compile(r'\s*!\[([^\]\n]*)\]\(\s*([^"()\n]+?)\s*(?:"([^"\n]*)")?\s*\)\s*')
#: A link or image left over as text: its marks would be printed.
_LEFT_OVER = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)?")
#: A link reference definition, which CommonMark takes out of the text silently.
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.MULTILINE)

#: What the refused constructs are called in messages (typeset.messages keys).
_NAMES = {"table": "md.table", "bullet_list": "md.list", "ordered_list": "md.list",
          "fence": "md.code", "code_block": "md.code", "html_block": "md.html",
          "html_inline": "md.html", "hr": "md.rule", "s": "md.strikethrough",
          "link": "md.link"}


def parse_body(text: str, *, line_offset: int = 0) -> tuple[list[dict], list[dict]]:
    """Return (blocks, figures) as plain dicts ready for model validation (new ones on
    every call: the caller may change them)."""
    blocks, figures, _ = _parsed(text, line_offset)
    return copy.deepcopy(blocks), copy.deepcopy(figures)


def source_lines(text: str, *, line_offset: int = 0) -> tuple[list[int], list[int]]:
    """The line of the file each block and each figure of :func:`parse_body` starts on
    (for messages about them)."""
    _, _, lines = _parsed(text, line_offset)
    return lines


@functools.lru_cache(maxsize=1024)
def _parsed(text: str, line_offset: int) -> tuple[list[dict], list[dict], tuple]:
    """:func:`parse_body`, remembered: ``typeset build --watch`` reads every article
    again on each save, and parsing was two thirds of reading an issue."""
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    if env.get("references"):
        found = _REFERENCE.search(text)
        raise _unsupported(msg("md.reference"),
                           text.count("\n", 0, found.start()) + 1 + line_offset if found
                           else None)
    blocks: list[dict] = []
    figures: list[dict] = []
    block_lines: list[int] = []
    figure_lines: list[int] = []
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
                raise _unsupported(msg("md.heading", markup=token.markup), line,
                                   msg("md.heading_hint"))
            blocks.append({"type": "subhead",
                           "text": _plain(tokens[index + 1].children or [], line)})
            block_lines.append(line)
            index += 2
        elif token.type == "inline":
            images = [c for c in token.children or [] if c.type == "image"]
            loose = _loose_images(token.content) if not images else []
            if images and all(c.type in ("image", "softbreak") for c in token.children):
                figures.extend(_figure(image) for image in images)
                figure_lines.extend([line] * len(images))
            elif images:
                raise _unsupported(msg("md.image_in_text"), line, msg("md.image_in_text_hint"))
            elif loose:
                figures.extend(loose)
                figure_lines.extend([line] * len(loose))
            elif in_quote:
                blocks.append({"type": "quote", "spans": _spans(token.children, line)})
                block_lines.append(line)
            else:
                blocks.append(_paragraph(token, line))
                block_lines.append(line)
        elif token.type not in ("paragraph_open", "paragraph_close", "heading_close"):
            raise _unsupported(_name(token.type), line)
        index += 1
    return blocks, figures, (block_lines, figure_lines)


def _name(token_type: str) -> str:
    """A token type (``html_block``, ``bullet_list_open``) in the editor's words."""
    kind = token_type.removesuffix("_open")
    return msg(_NAMES[kind]) if kind in _NAMES else msg("md.construct", what=kind)


def _loose_images(content: str) -> list[dict]:
    """The figures of a paragraph that is nothing but image lines whose paths have spaces
    (CommonMark wants those in <…>; an editor writes them as the file is named)."""
    lines = content.split("\n")
    found = [_LOOSE_IMAGE.fullmatch(line) for line in lines]
    if not all(found):
        return []
    figures = []
    for match in found:
        caption, path, credit = match.groups()
        figure = {"image": path, "caption": caption}
        if credit:
            figure["credit"] = credit
        figures.append(figure)
    return figures


def _unsupported(what: str, line: int | None, hint: str = "") -> TypesetError:
    message = msg("md.unsupported_hint", what=what, hint=hint) if hint else \
        msg("md.unsupported", what=what)
    return TypesetError(message, field="body", line=line)


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
        elif child.type in ("text", "text_special", "code_inline", "softbreak", "hardbreak"):
            text = child.content if child.type not in ("softbreak", "hardbreak") else ""
            if child.type == "text_special" and text == "\ufffd" and child.info == "entity" \
                    and child.markup.lower() not in ("&#65533;", "&#xfffd;"):
                raise _unsupported(msg("md.no_character", entity=child.markup), line)
            if not text:
                continue
            if spans and spans[-1]["strong"] == strong and spans[-1]["emphasis"] == emphasis:
                spans[-1]["text"] += text
            else:
                spans.append({"text": text, "strong": strong, "emphasis": emphasis})
        else:
            raise _unsupported(_name(child.type), line)
    for span in spans:
        if left_over := _LEFT_OVER.search(span["text"]):
            raise _unsupported(msg("md.unread", text=left_over.group()), line,
                               msg("md.unread_hint"))
    return spans
