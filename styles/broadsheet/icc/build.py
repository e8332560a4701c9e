#!/usr/bin/env python3
"""Rebuild the press profile styles/broadsheet/icc/uncoated-fogra30.icc.

Press mode names the printing condition of the paper in the PDF's OutputIntent and
converts photos to CMYK through it, so the profile must describe stock close to
newsprint and be free to redistribute. No published newsprint (ISO 12647-3) data set
is free; Debian's ``icc-profiles-free`` ships FOGRA's characterization data for offset
printing as ArgyllCMS ``.ti3`` files under the zlib licence. FOGRA30 (ISO 12647-2
paper type 5: uncoated, slightly yellowish, 60 l/cm) is the nearest to newsprint of
them: uncoated, so its dot gain and dull blacks are of the kind a newspaper press
makes, and its paper white (L* 95.9, b* +3.9) is yellowish as newsprint's is; FOGRA29
(type 4) is the same stock in bright white. ArgyllCMS ``colprof`` fits the profile to
the measurements with the style's total area coverage limit (``press.tac_percent`` in
style.yaml; newsprint prints about 240 %), so that photos converted through it never
carry more ink than the paper takes.

colprof stamps the time of the run into the header; it is set to the data set's own
date, and the profile ID recomputed, so that two runs give the same bytes.

Needs: apt-get install argyll icc-profiles-free
Usage: python styles/broadsheet/icc/build.py
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = Path("/usr/share/color/icc/FOGRA30L.ti3")
LICENCE = Path("/usr/share/doc/icc-profiles-free/copyright")
OUT = HERE / "uncoated-fogra30.icc"
#: FOGRA30's publication (2003-09), for the header's creation date.
DATE = (2003, 9, 1, 0, 0, 0)
DESCRIPTION = "typeset uncoated yellowish (FOGRA30), TAC {tac}%"
COPYRIGHT = ("Characterization data FOGRA30 (FOGRA, www.fogra.org) via icc-profiles-free "
             "(zlib licence); profile made with ArgyllCMS colprof; free to redistribute")


def main() -> int:
    style = yaml.safe_load((HERE.parent / "style.yaml").read_text(encoding="utf-8"))
    tac = int(style["press"]["tac_percent"])
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(DATA, Path(tmp) / "data.ti3")
        # -qm: medium quality tables; -kr: black generation ramping from white to full
        # black (GCR of a newspaper separation); -l: total ink limit; -nc: leave the
        # measurements out of the profile (smaller; they are in the Debian package).
        subprocess.run(["colprof", "-qm", "-kr", f"-l{tac}", "-nc",
                        "-D", DESCRIPTION.format(tac=tac), "-C", COPYRIGHT,
                        "-A", "FOGRA / typeset", "-M", "FOGRA30", "data"],
                       cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        profile = bytearray((Path(tmp) / "data.icc").read_bytes())
    OUT.write_bytes(reproducible(profile))
    shutil.copy(LICENCE, HERE / "LICENSE-icc-profiles-free.txt")
    print(f"wrote {OUT} ({len(profile)} bytes, TAC {tac} %)")
    return 0


def reproducible(profile: bytearray) -> bytes:
    """The profile with a fixed creation date and its ID (an MD5 over the profile with
    flags, intent, creator and ID zeroed, ICC.1:2010 7.2.18) computed again."""
    profile[24:36] = struct.pack(">6H", *DATE)
    masked = bytearray(profile)
    masked[44:48] = bytes(4)
    masked[64:68] = bytes(4)
    masked[80:84] = bytes(4)
    masked[84:100] = bytes(16)
    if profile[8] >= 4:  # the ID exists from version 4 on
        profile[84:100] = hashlib.md5(masked).digest()
    return bytes(profile)


if __name__ == "__main__":
    sys.exit(main())
