"""An imported issue → an issue folder (docs/input-format.md) the editor goes on with.

The folder is the format people edit, so it is written to be read: front matter with the
fields in model order and multi-line headlines as YAML blocks, body Markdown with ``##``
subheads and ``**…。**`` run-in heads, and a grey placeholder for every photo, named after
its article, for the editor to replace with the real picture.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from typeset.model import Article, Issue, Paragraph

#: Characters Markdown could read as markup anywhere in a line.
_MARKUP = re.compile(r"([\\`*_\[\]<>!&#])")
#: Line starts Markdown could read as a block (list, quote, rule, numbered list).
_BLOCK_START = re.compile(r"^(?:[>+\-=~]|\d+[.)])")


class _Dumper(yaml.SafeDumper):
    """yaml.safe_dump, except that multi-line text is written as a ``|`` block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def write_folder(issue: Issue, folder: Path, source_name: str) -> None:
    """Write issue.yaml, articles/<id>.md and placeholder images into ``folder``."""
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    write_issue_yaml(issue, folder, source_name)
    for article in issue.articles:
        (folder / "articles" / f"{article.id}.md").write_text(article_markdown(article),
                                                              encoding="utf-8")
        for figure in article.figures:
            (folder / figure.image).write_bytes(placeholder_jpeg())


def write_issue_yaml(issue: Issue, folder: Path, source_name: str) -> None:
    """issue.yaml: metadata, pages, credits and placement (rewritten while placing)."""
    data = issue.model_dump(mode="json", exclude={"articles"}, exclude_defaults=True)
    header = f"# Imported from {source_name} by `typeset import`: check its review notes.\n"
    (folder / "issue.yaml").write_text(header + dump_yaml(data), encoding="utf-8")


def article_markdown(article: Article) -> str:
    """Front matter with every field but the body, then the body as Markdown."""
    front = article.model_dump(mode="json", exclude={"id", "body"}, exclude_defaults=True)
    blocks = []
    for block in article.body:
        if isinstance(block, Paragraph):
            run_in = f"**{block.run_in}**" if block.run_in else ""
            blocks.append(run_in + escape("".join(span.text for span in block.spans)))
        else:
            blocks.append(f"## {escape(block.text)}")
    return f"---\n{dump_yaml(front)}---\n\n" + "".join(f"{b}\n\n" for b in blocks).rstrip() + "\n"


def escape(text: str) -> str:
    """Text as Markdown that reads back as exactly this text (no accidental markup)."""
    text = _MARKUP.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        end = match.end()
        text = text[:end - 1] + "\\" + text[end - 1:]
    return text


@lru_cache(maxsize=1)
def placeholder_jpeg() -> bytes:
    """A 4:3 grey picture with a cross: plainly not the photo, same bytes every time."""
    width, height = 480, 360
    image = Image.new("RGB", (width, height), (200, 200, 200))
    draw = ImageDraw.Draw(image)
    draw.line((0, 0, width, height), fill=(150, 150, 150), width=3)
    draw.line((0, height, width, 0), fill=(150, 150, 150), width=3)
    stream = io.BytesIO()
    image.save(stream, "JPEG", quality=80)
    return stream.getvalue()
