"""Command line: ``typeset-news build``, ``layout``, ``schema``, ``export``…

Installed as ``typeset-news`` (and ``typeset``, which bash and zsh shadow with a builtin).
What a user sees of a failure is one line (:mod:`typeset.failures`: exit 2 for bad
input, 3 for the environment, 1 for a bug); ``--debug`` adds the traceback. A build
stopped by SIGTERM, SIGHUP or Ctrl-C leaves the previous outputs and no temporary folder
(:mod:`typeset.scratch`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import threading
import time
import traceback
from pathlib import Path

from typeset import SAMPLE_ISSUE, failures, scratch
from typeset.errors import TypesetError
from typeset.messages import msg

def main(argv: list[str] | None = None) -> int:
    # --debug is accepted before or after the command: ``SUPPRESS`` keeps a command's
    # parser from resetting what the main parser read.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an error")
    called = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(prog=called if called == "typeset" else "typeset-news",
                                     description=__doc__.split("\n\n")[0], parents=[debug])
    commands = parser.add_subparsers(dest="command", required=True)
    add_parser = commands.add_parser
    commands.add_parser = lambda *a, **k: add_parser(*a, parents=[debug], **k)

    build = commands.add_parser("build", help="typeset an issue into PDF and EPUB")
    build.add_argument("issue", nargs="?", type=Path, default=SAMPLE_ISSUE,
                       help="issue folder, issue.yaml or issue JSON (default: the sample)")
    build.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder")
    build.add_argument("--style", default="broadsheet", help="style folder in styles/")
    build.add_argument("--format", default="pdf,epub", help="comma-separated: pdf,epub")
    build.add_argument("--mode", default="print", choices=("print", "proof", "press", "archive"),
                       help="the PDF: print, proof (marks and slug line), press (PDF/X-4 "
                            "for the plate-maker), archive (PDF/A-3u)")
    build.add_argument("--watermark", action="store_true", help="proofs: 校样 across pages")
    build.add_argument("--allow-draft", action="store_true",
                       help="press and archive: write even with placeholders (待填, "
                            "placeholder photos) or photos under the style's error_ppi")
    build.add_argument("--embed-fonts", action="store_true",
                       help="EPUB: embed subsets of the fonts, cut to the characters used")
    build.add_argument("--preview", action="store_true",
                       help="also write a PNG of every page (<slug>-page-N.png)")
    build.add_argument("--outline-modules", action="store_true",
                       help="draw each module's box on the pages (to check a layout)")
    build.add_argument("-j", "--jobs", type=int, default=None,
                       help="processes that measure and render (default: one per core)")
    build.add_argument("--watch", action="store_true",
                       help="build again whenever a file of the issue changes")
    build.add_argument("-v", "--verbose", action="store_true",
                       help="also say what the build cache gave (entries read, made, "
                            "found damaged and made again)")

    plan = commands.add_parser("layout", help="lay out an issue and print the page plans")
    plan.add_argument("issue", nargs="?", type=Path, default=SAMPLE_ISSUE)
    plan.add_argument("--style", default="broadsheet", help="style folder in styles/")

    commands.add_parser("schema", help="print the JSON Schema of the input model")

    check = commands.add_parser("check", help="report the Chinese layout rules on a PDF")
    check.add_argument("pdf", type=Path)
    check.add_argument("--issue", type=Path, help="the issue the PDF was built from: its "
                       "display texts as written give HEAD-1 the phrase spaces")

    flight = commands.add_parser("preflight", help="check a PDF as a printing plant would")
    flight.add_argument("pdf", type=Path)
    flight.add_argument("--style", default="broadsheet",
                        help="style whose limits apply (ppi, ink, bleed)")

    export = commands.add_parser("export", help="write an issue as one JSON file")
    export.add_argument("issue", type=Path)
    export.add_argument("-o", "--out", type=Path,
                        help="JSON file, with the pictures copied beside it "
                             "(default: the JSON alone, to standard output)")

    diff = commands.add_parser("diff", help="show which pages changed between two proofs")
    diff.add_argument("old", type=Path, help="the earlier PDF")
    diff.add_argument("new", type=Path, help="the later PDF")
    diff.add_argument("-o", "--out", type=Path, default=Path("out/diff"),
                      help="folder for the page-N.png pictures (default: out/diff)")

    text_import = commands.add_parser("import",
                                      help="turn a page's plain text into an issue folder")
    text_import.add_argument("text", type=Path, help="the page as plain text (UTF-8 or GB18030)")
    text_import.add_argument("-o", "--out", type=Path, required=True, help="new issue folder")
    text_import.add_argument("--paper", help="paper name (报名)")
    text_import.add_argument("--publisher", help="publisher (主办)")
    text_import.add_argument("--date", type=dt.date.fromisoformat, help="issue date, YYYY-MM-DD")
    text_import.add_argument("--number", type=int, help="issue number (总第N期)")
    text_import.add_argument("--section", help="section name (版名)")
    text_import.add_argument("--page", type=int, help="page number (版次)")
    text_import.add_argument("--slug", help="output file name (ASCII)")

    room = commands.add_parser("serve", help="the proof room: pages in a browser, set on "
                                             "every save")
    room.add_argument("issue", nargs="?", type=Path, default=SAMPLE_ISSUE)
    room.add_argument("--port", type=int, default=8000)
    room.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default: this machine only; give the "
                           "newsroom network's address to share the room)")
    room.add_argument("--style", default="broadsheet", help="style folder in styles/")
    room.add_argument("-j", "--jobs", type=int, default=1,
                      help="processes that measure and render (default 1: forking beside "
                           "the server's threads is best avoided)")

    batch = commands.add_parser("archive", help="convert a back catalogue: every issue under "
                                "ROOT to archive PDF/A and EPUB, resumably")
    batch.add_argument("root", type=Path, help="folder searched for issue folders and JSON files")
    batch.add_argument("-o", "--out", type=Path, required=True,
                       help="output folder: <year>/<slug>/ per issue and manifest.jsonl")
    batch.add_argument("--processes", type=int, default=None,
                       help="local processes (default: one per core)")
    batch.add_argument("--dask", metavar="ADDRESS",
                       help="run on a Dask cluster: its scheduler's address, or local:N")
    batch.add_argument("--quiet", action="store_true", help="no progress bar: failures and summary")

    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        scratch.stop_on_signals()
    scratch.reclaim()  # what builds killed outright left in the temp dir
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(msg("cli.stopped"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001  (one line, never a traceback: see above)
        if getattr(args, "debug", False):
            traceback.print_exc()
        message, status = failures.complaint(exc)
        print(message, file=sys.stderr)
        return status


def _build(args) -> int:
    from typeset.build import WRITERS, build
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in WRITERS]
    if unknown or not formats:
        raise TypesetError(f"unknown format {', '.join(unknown) or '(none)'}; "
                           f"known: {', '.join(WRITERS)}")
    from typeset.parallel import cores
    jobs = cores() if args.jobs is None else args.jobs
    if jobs < 1:
        raise TypesetError(f"--jobs must be at least 1, not {jobs}")
    failures.output_folder[:] = [args.out]

    def once() -> None:
        start = time.perf_counter()
        result = build(args.issue, args.out, style_name=args.style, formats=formats,
                       mode=args.mode, watermark=args.watermark, embed_fonts=args.embed_fonts,
                       allow_draft=args.allow_draft,
                       preview=args.preview, outline=args.outline_modules, jobs=jobs)
        _report(result, args)
        print(f"built in {time.perf_counter() - start:.1f} s", flush=True)
        if args.verbose:
            from typeset.cache import counts
            print(msg("cli.cache_report", hit=counts["hit"], written=counts["written"],
                      discarded=counts["discarded"]), flush=True)
            counts.clear()

    if not args.watch:
        once()
        return 0
    from typeset.watch import watch
    try:
        watch(args.issue, once, ignore=args.out.resolve())
    except KeyboardInterrupt:
        print("stopped watching")
    return 0


def _report(result, args) -> None:
    from typeset.layout.report import table
    from typeset.style import load_style
    print(table(result.layouts, load_style(args.style).grid))
    for finding in result.findings:  # preflight's, as warnings: the build succeeded
        print(f"preflight: {finding}", file=sys.stderr)
    for path in result.paths:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
        if args.embed_fonts and path.suffix == ".epub":
            from typeset.writers.epub import font_bytes
            fonts = font_bytes(path)
            print(f"  of which fonts {fonts / 1e6:.2f} MB: "
                  f"{(path.stat().st_size - fonts) / 1e6:.2f} MB without them")


def _archive(args) -> int:
    from typeset.archive import archive
    summary = archive(args.root, args.out, processes=args.processes, dask=args.dask,
                      quiet=args.quiet)
    print(summary.text())
    return 1 if summary.failed else 0


def _layout(args) -> int:
    from typeset.build import prepare
    from typeset.layout.report import table
    from typeset.readers import read
    from typeset.style import load_style
    style = load_style(args.style)
    start = time.perf_counter()
    job = prepare(read(args.issue), style)
    print(table(job.layouts, style.grid))
    print(f"laid out in {time.perf_counter() - start:.1f} s")
    return 0


def _check(args) -> int:
    from typeset.check import check
    from typeset.readers import read
    if not args.pdf.is_file():
        raise TypesetError("no such PDF file", file=args.pdf)
    import pikepdf
    import pypdfium2
    issue = read(args.issue).issue if args.issue else None
    try:
        report = check(args.pdf, issue)
    except (pikepdf.PdfError, pypdfium2.PdfiumError) as exc:  # not a PDF, or a broken one
        detail = str(exc).split(">: ", 1)[-1]  # (pikepdf names its in-memory stream)
        raise TypesetError(msg("cli.not_pdf", detail=detail), file=args.pdf) from None
    print(report.summary())
    return 0 if report.ok else 1


def _preflight(args) -> int:
    from typeset.preflight import preflight
    from typeset.style import load_style
    if not args.pdf.is_file():
        raise TypesetError("no such PDF file", file=args.pdf)
    import pikepdf
    try:
        report = preflight(args.pdf.read_bytes(), load_style(args.style).press)
    except (pikepdf.PdfError, ValueError) as exc:  # not a PDF, or a broken one
        raise TypesetError(msg("cli.not_pdf", detail=str(exc).split(">: ", 1)[-1]),
                           file=args.pdf) from None
    print(report.summary())
    return 0 if report.ok else 1


def _diff(args) -> int:
    from typeset.proofdiff import diff
    print(diff(args.old, args.new, args.out).summary())
    return 0


def _serve(args) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise TypesetError("typeset serve needs Starlette and uvicorn: "
                           "pip install -e '.[serve]'") from None
    from typeset.serve import serve
    if not args.issue.exists():  # said now; a broken issue is shown in the room instead
        raise TypesetError("no such issue folder or file", file=args.issue)
    try:
        serve(args.issue, host=args.host, port=args.port, style=args.style, jobs=args.jobs)
    except KeyboardInterrupt:
        pass
    return 0


def _schema(args) -> int:
    from typeset.model import Issue
    print(json.dumps(Issue.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _export(args) -> int:
    """The issue as one JSON file. Written to a file, it takes its pictures along: each
    is copied beside it at the path the JSON names (``images/…``), so the file builds
    wherever it is written; to standard output, the JSON alone (its picture paths are
    those of the issue folder)."""
    from typeset.cache import write_atomic
    from typeset.readers import read
    from typeset.readers.jsonfile import dump_json
    source = read(args.issue)
    text = dump_json(source.issue)
    if not args.out:
        sys.stdout.write(text)
        return 0
    target = args.out.resolve().parent
    names = sorted({f.image for a in source.issue.articles for f in a.figures})
    for name in names:  # (all checked before anything is written)
        there = target / name
        if there.exists() and there.read_bytes() != (source.root / name).read_bytes():
            raise TypesetError(msg("export.exists", source=source.root / name), file=there)
    for name in names:
        there = target / name
        if not there.exists():
            there.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(there, (source.root / name).read_bytes())
    write_atomic(args.out, text.encode("utf-8"))
    return 0


def _import(args) -> int:
    from typeset.readers.plaintext import Options, import_page
    from typeset.readers.plaintext.notes import report
    options = Options(paper=args.paper, publisher=args.publisher, date=args.date,
                      number=args.number, section=args.section, page=args.page, slug=args.slug)
    notes = import_page(args.text, args.out, options)
    print(f"wrote {args.out}; review:\n{report(notes)}")
    return 0


COMMANDS = {"build": _build, "layout": _layout, "check": _check, "schema": _schema,
            "export": _export, "diff": _diff, "import": _import, "preflight": _preflight,
            "serve": _serve, "archive": _archive}

if __name__ == "__main__":
    sys.exit(main())
