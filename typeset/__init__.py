"""typeset: a typesetter for Chinese newspapers.

The pipeline, one subpackage per stage::

    readers  →  model  →  cjk  →  layout  →  html  →  writers (pdf, epub)

Each stage is a function from typed input to typed output; `typeset.build` wires them.
"""

from pathlib import Path

#: The checkout root: styles/ and fonts/ live beside the package (installed with -e).
ROOT = Path(__file__).resolve().parent.parent
STYLES_DIR = ROOT / "styles"
FONTS_DIR = ROOT / "fonts"
SAMPLE_ISSUE = ROOT / "samples" / "yuquan-daily"
