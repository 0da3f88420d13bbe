"""Time each PDF as guidegen renders it, or the same HTML with a minimal stylesheet (the floor).

Usage: python bench/pdf_floor.py PROJECT guidegen|floor|floor_fonts   (then job numbers on stdin)

guidegen's jobs come from the PDF formats' `prepare` (the HTML of guide_pdf.html with its
stylesheets), as a build makes them; in `guidegen` mode `PdfJob.run()` renders each one as a build
does. In `floor` mode WeasyPrint renders the same HTML directly, with the theme's stylesheets
(style.css, pdf.css) swapped for one holding only pdf.css's page margins and font sizes (fonts.css,
the font rules, stays): once as a tagged PDF/UA-1, once as a plain PDF. `floor_fonts` renders the
tagged floor with guidegen's font hooks installed (guidegen.pdf.install_font_hooks: compact CJK
subsets, subset form-field fonts), so that the comparison with it shows what the stylesheets and
the print features cost, not what guidegen's font embedding saves. The modes run in separate
processes, because guidegen's hooks into WeasyPrint stay for the rest of a process. After
preparing the jobs and a warm-up render it prints one JSON line (the job count), then renders each
job whose number it reads and prints one JSON line about it: the harness alternates the processes
job by job, so all see the same machine.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="file:[^"]*/(?:style|pdf)\.css">\n?')


def prepare_jobs(root: Path) -> list:
    """Return the PDF jobs of every guide and locale, prepared as a build prepares them."""
    from guidegen.commands.build import BuildOptions
    from guidegen.commands.build_stages import heavy_jobs

    with tempfile.TemporaryDirectory() as scratch:
        options = BuildOptions(project=root, out=Path(scratch) / "out", formats=("pdf",), jobs=1)
        heavy = heavy_jobs(options)
    return [job for job, _ in heavy]


def minimal_css(root: Path) -> str:
    """Return the floor's stylesheet: pdf.css's page margins and font sizes, nothing else."""
    from guidegen.pipeline import find_template_file

    css = find_template_file(root, "pdf.css").read_text()
    margin = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", css)
    sizes = re.findall(r"^html(?:\.[\w-]+)?\s*\{\s*font-size:[^}]*\}", css, re.MULTILINE)
    rules = [f"@page {{ margin: {margin.group(1) if margin else '20mm'}; }}", *sizes]
    return "\n".join(rules)


def floor_html(job, css: str) -> str:
    """Return the job's HTML with the theme's stylesheets replaced by the minimal one."""
    html = _STYLESHEET_LINK.sub("", job.html)
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)


def render_floor(job, html: str, tagged: bool) -> bytes:
    """Render the floor HTML with WeasyPrint alone (tagged PDF/UA-1, or a plain PDF)."""
    from weasyprint import HTML

    from guidegen.pdf import make_fetcher

    document = HTML(
        string=html,
        base_url=job.base_dir.as_uri() + "/",
        url_fetcher=make_fetcher(job.asset_roots, job.memory),
    )
    if tagged:
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, optimize_images=True)
    return document.write_pdf()


def page_count(data: bytes) -> int:
    """Return the number of pages of a PDF (0 when pypdf is not installed)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(io.BytesIO(data)).pages)


def render_plans(job, css: str, mode: str) -> list[tuple[str, object]]:
    """Return the (name, render) pairs a mode times for one job."""
    if mode == "guidegen":
        return [("guidegen", job.run)]
    html = floor_html(job, css)
    if mode == "floor_fonts":
        return [("floor_fonts", lambda: render_floor(job, html, tagged=True))]
    return [
        ("floor_plain", lambda: render_floor(job, html, tagged=False)),
        ("floor_tagged", lambda: render_floor(job, html, tagged=True)),
    ]


def measure(job, css: str, mode: str) -> dict:
    """Render one job as the mode says; return the seconds, size and page count of each render."""
    row = {"path": job.path, "format": job.format, "locale": job.locale, "html": len(job.html)}
    for name, render in render_plans(job, css, mode):
        started = time.perf_counter()
        data = render()
        row[name] = time.perf_counter() - started
        data = getattr(data, "data", data)  # newer jobs return Rendered(data, warnings)
        row[f"{name}_bytes"] = len(data)
        row[f"{name}_pages"] = page_count(data)
    return row


def main() -> None:
    """Prepare every PDF job of PROJECT, warm WeasyPrint up, then time each job."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    root, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "floor_fonts":
        from guidegen.pdf import install_font_hooks

        install_font_hooks()
    started = time.perf_counter()
    jobs = prepare_jobs(root)
    prepared = time.perf_counter() - started
    css = minimal_css(root)
    smallest = min(jobs, key=lambda job: len(job.html))
    for _, render in render_plans(smallest, css, mode):  # warm-up: imports, fonts, hooks
        render()
    ready = {"jobs": len(jobs), "paths": [job.path for job in jobs], "css": css}
    print(json.dumps({**ready, "prepare_seconds": prepared}), flush=True)
    for line in sys.stdin:
        print(json.dumps(measure(jobs[int(line)], css, mode)), flush=True)


if __name__ == "__main__":
    main()
