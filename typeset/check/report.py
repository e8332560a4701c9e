"""What ``typeset check`` found: counts per rule and the offending lines."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Rules whose offenders make the check fail, in the order the summary lists them.
DISPLAY_RULES = ("HEAD-1", "HEAD-3", "HEAD-6", "HEAD-7", "FIT-1")


@dataclass
class Report:
    """Counts per rule and the offending lines (page number and text)."""

    lines: int = 0
    justified: int = 0
    flush: int = 0
    grid_lines: int = 0
    grid_exact: int = 0
    baseline_lines: int = 0
    baseline_on_grid: int = 0
    pairs: int = 0
    pairs_compressed: int = 0
    violations: dict[str, list[str]] = field(default_factory=dict)
    stray_spaces: int = 0  # spaces an extractor reads between wide characters
    gaps: list[str] = field(default_factory=list)  # gaps it would read without ActualText
    display_blocks: int = 0  # headlines, kickers, decks, column labels, subheads
    display_breaks: int = 0  # line breaks inside them, judged by HEAD-1
    unjudged_breaks: list[str] = field(default_factory=list)  # no source for the spaces
    subheads: int = 0
    captions: int = 0
    modules: int = 0
    module_glyphs: int = 0

    def add(self, rule: str, line, note: str = "") -> None:
        """Record an offender: ``line`` is a Line or a (page, text) pair."""
        page, text = (line.page, line.text) if hasattr(line, "glyphs") else line
        self.violations.setdefault(rule, []).append(
            f"p{page}: {text}{' (' + note + ')' if note else ''}")

    def count(self, rule: str) -> int:
        return len(self.violations.get(rule, []))

    @property
    def ok(self) -> bool:
        return not self.violations and not self.stray_spaces

    def summary(self) -> str:
        rows = [
            f"body lines            {self.lines}",
            f"JUS-1 flush           {self.flush}/{self.justified} non-final lines",
            f"GRID-1 on the em grid {self.grid_exact}/{self.grid_lines} all-Han lines",
            (f"GRID-1 baselines      {self.baseline_on_grid}/{self.baseline_lines} body "
             "lines on the line grid"),
            f"PA-1 pairs compressed {self.pairs_compressed}/{self.pairs}",
            f"KIN-1 line starts     {self.count('KIN-1')} violations",
            f"KIN-2 line ends       {self.count('KIN-2')} violations",
            f"UNIT-1 split ——/……    {self.count('UNIT-1')}",
            f"ORP-1 orphans         {self.count('ORP-1')}",
            f"stray spaces          {self.stray_spaces} read between Chinese characters",
            f"wide gaps             {len(self.gaps)} spelled out with ActualText "
            f"(loose lines)",
            f"display blocks        {self.display_blocks} (headlines, kickers, decks, labels, "
            f"subheads), {self.display_breaks} line breaks",
            f"HEAD-1 breaks         {self.count('HEAD-1')} not at a phrase boundary"
            + (f"; {len(self.unjudged_breaks)} between Han characters not judged "
               "(no source spaces: give --issue)" if self.unjudged_breaks else ""),
            f"HEAD-3 stubs          {self.count('HEAD-3')} blocks",
            f"HEAD-6 subheads       {self.count('HEAD-6')} of {self.subheads} without two "
            "lines after them",
            f"HEAD-7 captions       {self.count('HEAD-7')} of {self.captions}",
            f"FIT-1 modules         {self.count('FIT-1')} glyphs or overlaps outside "
            f"{self.modules} module boxes ({self.module_glyphs} glyphs)",
        ]
        for rule, items in sorted(self.violations.items()):
            rows += [f"  {rule}: {item}" for item in items[:20]]
            if len(items) > 20:
                rows.append(f"  {rule}: … {len(items) - 20} more")
        for name, items in (("gap", self.gaps), ("unjudged", self.unjudged_breaks)):
            rows += [f"  {name}: {item}" for item in items[:20]]
            if len(items) > 20:
                rows.append(f"  {name}: … {len(items) - 20} more")
        return "\n".join(rows)
