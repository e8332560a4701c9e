"""The generated stress set (benchmarks/display_stress.py): a few hundred headlines,
kickers, decks and subheads made of phrase patterns — 2–4 phrases of 3–9 Han
characters, with quotations, numbers with units, Latin words and a colon head — set at
every span 1–8 and as subheads in one column, with URLs and Latin words of 20–80
characters in one-column bodies and captions with credits; built once, read back.
``typeset check`` finds every display rule of issue 14 met on it, and the body rules."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from display_readback import display_texts, find_blocks, module_spans, page_lines, violations
from typeset import cjk, readers
from typeset.build import build
from typeset.check import check
from typeset.layout.display import fitted, kind_of
from typeset.model import Article
from typeset.style import load_style

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from display_stress import write_issue  # noqa: E402


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    """The stress issue built once: (issue as set, PDF path, issue as read)."""
    folder = write_issue(tmp_path_factory.mktemp("stress") / "issue")
    source = readers.read(folder).issue
    out = tmp_path_factory.mktemp("stress-out")
    pdf = next(p for p in build(folder, out, formats=("pdf",)).paths if p.suffix == ".pdf")
    return cjk.apply(source), pdf, source


def test_the_stress_set_is_big_enough_at_every_span(stress):
    issue, _, _ = stress
    texts = display_texts(issue)
    assert len(texts) >= 300
    heads = sum(1 + bool(a.deck) + sum(b.type == "subhead" for b in a.body)
                for a in issue.articles)
    assert heads >= 300  # headlines, decks and subheads, without the kickers
    spans = {span for a in issue.articles for span in [int(a.id.rsplit("-s", 1)[1])]}
    assert spans == set(range(1, 9))


def test_stress_display_lines_break_only_at_phrases_without_stubs(stress):
    """HEAD-1 and HEAD-3 (with HEAD-4's limits and no line past its measure) on every
    display text of the stress set, read back from its PDF."""
    issue, pdf, _ = stress
    style = load_style()
    blocks, missing = find_blocks(page_lines(pdf), issue)
    assert not missing
    articles = {a.id: a for a in issue.articles}
    kinds = {(b.article, b.field): kind_of(articles[b.article], b.field) for b in blocks}
    spans = module_spans(pdf.with_suffix(".layout.json"), issue, style)
    assert violations(blocks, spans, style, kinds) == []
    # The set exercises the fitting, not only the natural setting.
    assert any(len(b.lines) > 1 for b in blocks)
    assert any(line.scale < 1 for b in blocks for line in b.lines)


def test_stress_fittings_match_the_printed_lines(stress):
    """What the layout stage fitted (the lines the planner's heights count) is what the
    PDF prints: the same lines, at the same size."""
    issue, pdf, _ = stress
    style = load_style()
    blocks, _ = find_blocks(page_lines(pdf), issue)
    articles = {a.id: a for a in issue.articles}
    spans = module_spans(pdf.with_suffix(".layout.json"), issue, style)
    for block in blocks:
        article: Article = articles[block.article]
        span, boxed = spans[block.article]
        planned = fitted(style, article, block.field, block.source, span, boxed)
        assert ["".join(line) for line in planned.lines] == [l.text for l in block.lines]
        assert all(abs(l.size - planned.size) < 0.01 for l in block.lines)


def test_check_finds_the_stress_set_clean(stress):
    """``typeset check`` with the source texts (from the layout report beside the PDF,
    no --issue): every display block found, 0 HEAD-1, HEAD-3, HEAD-6, HEAD-7 and FIT-1;
    the body rules met too, long Latin runs broken inside themselves (FIT-1) with no
    one-letter last line (ORP-1); the layout closes every page (0 overflow)."""
    _, pdf, source = stress
    report = check(pdf)
    fields = sum(bool(a.kicker) + 1 + bool(a.deck) + bool(a.column_label)
                 + sum(b.type == "subhead" for b in a.body) for a in source.articles)
    assert report.display_blocks == fields and report.unjudged_breaks == []
    assert report.modules == len(source.articles) and report.captions >= 5
    assert report.subheads == sum(b.type == "subhead" for a in source.articles
                                  for b in a.body)
    assert report.violations == {}, report.summary()
    assert report.flush == report.justified and report.pairs_compressed == report.pairs > 300
    assert report.stray_spaces == 0
    layout = json.loads(pdf.with_suffix(".layout.json").read_text(encoding="utf-8"))
    assert [m["article"] for m in layout if m["overflow_lines"]] == []
    runs = [run for a in source.articles for b in a.body if b.type == "paragraph"
            for run in re.findall(r"[!-~]{20,}", "".join(s.text for s in b.spans))]
    assert len(runs) >= 20 and max(map(len, runs)) > 60  # what FIT-1 had to cut
