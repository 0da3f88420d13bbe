"""Benchmark guidegen on a synthetic corpus cloned from the bundled guides; one table per section.

Usage:
  .venv/bin/pip install -e '.[bench]'                      # MkDocs, for the comparison
  .venv/bin/python bench/run.py                            # 200 guides x 5 locales = 1,000 docs
  .venv/bin/python bench/run.py --guides 40 --pdf --check --profile  # every section, quickly
  .venv/bin/python bench/run.py --guides 2000 --skip mkdocs,floors,rebuilds,jobs  # 10,000 docs
  more: --locales N, --jobs N, --identical, --json PATH, --keep DIR, --pdf-guides N,
        --quiet-wait SECONDS (on a shared machine: wait for idle CPUs before each run)

Sections: the corpus; guidegen and MkDocs on the same documents; the cold HTML build by stage,
each stage beside its floor (the libraries it uses, alone, over the same inputs); the no-op and
one-edit rebuilds; -j 1 against -j N; memory; and with --pdf, each PDF against a minimal-stylesheet
floor and the PDF stage at -j 1 and -j N (on the bundled guides in their locales). Every build and
every floor runs in a fresh process with this checkout's guidegen first on PYTHONPATH, so the
numbers are those of whatever is checked out. All numbers come from one run on this machine;
compare them as ratios (the machine is noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import mkdocs_site  # noqa: E402
import processes  # noqa: E402
from corpus import EXTRA_LOCALE_COPIES, Corpus, bundled_counts, edit_one_passage, make_corpus  # noqa: E402
from processes import SAMPLE_SECONDS, Run, run_alternating, run_python  # noqa: E402
from report import Table, ratio, write_json  # noqa: E402

SECTIONS = ("mkdocs", "floors", "rebuilds", "jobs")
GUIDE_PAGE = re.compile(r"^[^/]+/[^/]+/index\.html$")
# Which floors bound which stage of a cold HTML build (stages without one show a dash).
STAGE_FLOORS = {
    "load and validate": ("yaml", "po_guidegen"),
    "plan": ("hash",),
    "render HTML": ("markdown_guidegen", "jinja", "write"),
}
# The render floor as issue #15 words it (Python-Markdown + nh3 + Jinja): STAGE_FLOORS' is
# stricter, with guidegen's own render_markdown (which skips Python-Markdown for simple passages).
ISSUE_RENDER_FLOOR = ("markdown_alone", "nh3_alone", "jinja", "write")
FLOOR_NAMES = {
    "yaml": "PyYAML CSafeLoader over every guide and shared YAML file",
    "po_guidegen": "guidegen.po.read_po over every catalog",
    "po_polib": "polib.pofile over every catalog",
    "po_babel": "Babel's read_po over every catalog",
    "hash": "SHA-256 of every input file",
    "markdown_guidegen": "guidegen.markup.render_markdown (cache cleared), each distinct passage",
    "markdown_alone": "Python-Markdown alone, each distinct passage",
    "nh3_alone": "nh3 (guidegen's sanitise) alone, each distinct passage",
    "jinja": "Jinja2, a minimal template per page over the same passages",
    "write": "writing guidegen's guide pages again, then one os.sync()",
}


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=200, help="guides in the corpus")
    parser.add_argument("--locales", type=int, default=5, help="locales (5th: zh-Hant)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="-j of the builds")
    parser.add_argument("--identical", action="store_true", help="clone guides unchanged")
    parser.add_argument("--check", action="store_true", help="run 'guidegen check' on the corpus")
    parser.add_argument("--pdf", action="store_true", help="also benchmark the PDFs")
    parser.add_argument(
        "--repeat", type=int, default=1, help="cold HTML builds: run N times, keep the fastest"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile one more cold HTML build (cProfile)"
    )
    parser.add_argument("--pdf-guides", type=int, help="guides of the PDF corpus [bundled]")
    parser.add_argument("--skip", default="", help=f"sections to skip: {','.join(SECTIONS)}")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each run, wait up to this long for other processes to leave the CPUs idle",
    )
    parser.add_argument("--json", type=Path, help="write every number to this JSON file")
    parser.add_argument("--keep", type=Path, help="keep the corpus and builds in this folder")
    args = parser.parse_args()
    args.skip = {s for s in args.skip.split(",") if s}
    if args.skip - set(SECTIONS):
        parser.error(f"--skip: unknown section(s) {', '.join(sorted(args.skip - set(SECTIONS)))}")
    return args


def build(project: Path, profile: Path | None = None, **options) -> Run:
    """Build project into project/build in a fresh process through guidegen's Python API."""
    args = [str(BENCH / "build_once.py"), str(project), str(project / "build"), json.dumps(options)]
    return run_python(args + ([str(profile)] if profile else []))


def fresh_copy(corpus: Corpus, target: Path) -> Path:
    """Copy the corpus without any build folder (a cold build starts from nothing)."""
    shutil.copytree(corpus.root, target, ignore=shutil.ignore_patterns("build"))
    return target


def guide_pages(run: Run) -> int:
    """Return how many guide pages (<locale>/<guide>/index.html) a build wrote."""
    return sum(1 for path in run.data["written"] if GUIDE_PAGE.match(path))


def corpus_table(corpus: Corpus, floors: dict | None, check: dict | None) -> Table:
    """Describe the corpus: its size, how unique its passages are, what check says of it."""
    table = Table("Corpus", [("measure", "text"), ("value", "text")])
    kind = "unique (a token per guide)" if corpus.unique else "identical clones (--identical)"
    table.add(
        "documents",
        f"{len(corpus.guides)} guides × {len(corpus.locales)} locales "
        f"({', '.join(corpus.locales)}) = {corpus.documents:,}",
    )
    table.add("passages", kind)
    table.add("generated in", f"{corpus.seconds:.1f} s")
    if floors is not None:
        shown = floors["passages_shown"]
        table.add("passages shown (all pages)", f"{shown['items']:,}")
        table.add("distinct passages shown", f"{shown['distinct']:,}")
        table.add("passages shown by more than one guide", f"{shown['shared_between_guides']:,}")
    if check is not None:
        table.add("guidegen check", check["summary"])
    return table


def run_check(corpus: Corpus) -> dict:
    """Run `guidegen check` on the corpus in a fresh process; return its summary line."""
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "guidegen", "check", "--project", str(corpus.root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    summary = next((line for line in reversed(lines) if "error(s)" in line), "no summary line")
    return {
        "summary": f"{summary} (exit {done.returncode}, {time.perf_counter() - started:.0f} s)",
        "returncode": done.returncode,
    }


def mkdocs_section(corpus: Corpus, folder: Path, cold: Run, pages: int) -> tuple[Table, dict]:
    """Build the same documents with MkDocs (default plugins, then none); compare pages/s."""
    table = Table(
        "guidegen and MkDocs on the same documents (cold, fresh process)",
        [
            ("build", "text"),
            ("pages", "n"),
            ("wall", "s"),
            ("pages/s", "rate"),
            ("guidegen ÷ this", "x"),
        ],
        notes=[
            "wall: from starting the process to its exit (interpreter start and imports "
            "included); build(): guidegen's build() call alone.",
            "Target (issue #15): guidegen ≥ 2× MkDocs (default plugins) in pages/s.",
        ],
    )
    ours = pages / cold.wall
    table.add(f"guidegen, HTML only, -j {cold.data['jobs']}", pages, cold.wall, ours, 1.0)
    table.add(
        "guidegen build() alone", pages, cold.data["seconds"], pages / cold.data["seconds"], None
    )
    raw = {}
    for name, plugins in (("MkDocs (default plugins: search)", None), ("MkDocs, no plugins", [])):
        site = folder / ("mkdocs-search" if plugins is None else "mkdocs-bare")
        count = mkdocs_site.write_project(corpus.root, site, plugins)
        run = mkdocs_site.build(site)
        table.add(name, count, run.wall, count / run.wall, ratio(ours, count / run.wall))
        raw[name] = run
    return table, raw


def stage_tables(cold: Run, floors: dict | None) -> list[Table]:
    """Put each stage of the cold HTML build beside its floor; list the floors themselves."""
    stages = Table(
        f"Cold HTML build by stage (-j {cold.data['jobs']}), beside each stage's floor",
        [
            ("stage", "text"),
            ("guidegen", "s"),
            ("floor", "text"),
            ("floor time", "s"),
            ("stage ÷ floor", "x"),
        ],
    )
    for name, seconds in cold.data["stages"].items():
        parts = STAGE_FLOORS.get(name, ()) if floors else ()
        floor = sum(floors[p]["seconds"] for p in parts) if parts else None
        stages.add(name, seconds, " + ".join(parts) or None, floor, ratio(seconds, floor))
    render = cold.data["stages"].get("render HTML")
    if floors is not None and render is not None:
        floor = sum(floors[p]["seconds"] for p in ISSUE_RENDER_FLOOR)
        stages.add(
            "render HTML, beside the issue's floor",
            render,
            " + ".join(ISSUE_RENDER_FLOOR),
            floor,
            ratio(render, floor),
        )
        stages.notes.append(
            "Two floors for render HTML: the stricter one renders Markdown with guidegen's "
            "render_markdown (simple passages without Python-Markdown), the issue's with "
            "Python-Markdown and nh3. Floors run in one process; the stage runs in -j workers "
            "(see the -j 1 table for its CPU time)."
        )
    repeats = cold.data.get("repeats", [])
    if len(repeats) > 1:
        walls = ", ".join(f"{wall:.1f}" for wall in repeats)
        stages.notes.append(f"The fastest of {len(repeats)} cold builds (walls: {walls} s).")
    stages.add("build() total", cold.data["seconds"], None, None, None)
    stages.add("process wall (imports included)", cold.wall, None, None, None)
    if floors is None:
        return [stages]
    detail = Table(
        "Stage floors (one fresh process, same inputs)",
        [("floor", "text"), ("what", "text"), ("items", "n"), ("time", "s"), ("per item", "ms")],
    )
    for key, what in FLOOR_NAMES.items():
        row = floors[key]
        detail.add(key, what, row["items"], row["seconds"], ratio(row["seconds"], row["items"]))
    parsers = Table(
        "PO parsing: guidegen's strict reader and the lenient ones",
        [("parser", "text"), ("catalogs", "n"), ("time", "s"), ("guidegen ÷ this", "x")],
    )
    for key in ("po_guidegen", "po_polib", "po_babel"):
        row = floors[key]
        parsers.add(
            FLOOR_NAMES[key],
            row["items"],
            row["seconds"],
            ratio(floors["po_guidegen"]["seconds"], row["seconds"]),
        )
    return [stages, detail, parsers]


def rebuild_section(project: Path, corpus: Corpus, cold: Run, jobs: int) -> tuple[Table, dict]:
    """Rebuild with nothing changed, then after editing one zh-Hans msgstr of one guide."""
    table = Table(
        "Rebuilds after the cold HTML build",
        [
            ("build", "text"),
            ("wall", "s"),
            ("build()", "s"),
            ("rendered", "n"),
            ("% of cold", "%"),
            ("what was rendered", "text"),
        ],
        notes=[
            "Targets (issue #15): no-op < 1 s and ≤ 3 % of a full build, one edit < 1 s; "
            "one edit renders exactly one guide × locale."
        ],
    )
    noop = build(project, formats=["html"], jobs=jobs)
    table.add(
        "no-op",
        noop.wall,
        noop.data["seconds"],
        len(noop.data["written"]),
        100 * noop.wall / cold.wall,
        ", ".join(noop.data["written"]) or "nothing",
    )
    runs = {"no-op rebuild": noop}
    if noop.code != cold.code:
        table.notes.append(
            "guidegen's code changed between the cold build and the rebuilds (someone edited the "
            "checkout): the no-op rebuild then renders everything again."
        )
    if EXTRA_LOCALE_COPIES in corpus.locales:
        # the first edit after a cold build, then the same passage edited again: the second
        # build makes its version from the spare the first left (see guidegen/versions.py)
        for row, run_name in (
            ("one edited passage", "one-edit rebuild"),
            ("edited again", "second-edit rebuild"),
        ):
            context = edit_one_passage(project, corpus.guides, EXTRA_LOCALE_COPIES)
            edit = build(project, formats=["html"], jobs=jobs)
            table.add(
                f"{row} ({EXTRA_LOCALE_COPIES} msgstr of {context})",
                edit.wall,
                edit.data["seconds"],
                len(edit.data["written"]),
                100 * edit.wall / cold.wall,
                ", ".join(edit.data["written"]) or "nothing",
            )
            runs[run_name] = edit
    return table, runs


def jobs_table(cold: Run, single: Run) -> Table:
    """Compare the cold HTML build at -j 1 and at -j N."""
    table = Table(
        "Cold HTML build: -j 1 against -j N (fresh copies, fresh processes)",
        [
            ("build", "text"),
            ("wall", "s"),
            ("build()", "s"),
            ("render HTML stage", "s"),
            ("÷ -j 1 wall", "x"),
        ],
        notes=[
            "-j is guidegen's --jobs (worker processes); what runs in them depends on "
            "the guidegen checked out."
        ],
    )
    for run in (single, cold):
        table.add(
            f"-j {run.data['jobs']}",
            run.wall,
            run.data["seconds"],
            run.data["stages"].get("render HTML"),
            ratio(run.wall, single.wall),
        )
    return table


def runs_table(runs: dict[str, Run]) -> Table:
    """Show each fresh-process run: wall time, peak memory of it and its tree, competing load."""
    table = Table(
        "Every fresh-process run: peak memory (RSS) and competing load",
        [
            ("run", "text"),
            ("wall", "s"),
            ("main process", "mb"),
            ("largest child", "mb"),
            ("all processes: sum of peaks", "mb"),
            ("all processes at once", "mb"),
            ("at once, PSS", "mb"),
            ("processes", "n"),
            ("others' CPU", "%"),
        ],
        notes=[
            "main process: its ru_maxrss (sampled VmHWM where the run does not report it); "
            "largest child: RUSAGE_CHILDREN, which Linux gives as the largest child's peak, not "
            f"a sum; sum of peaks and at once: /proc sampled every {SAMPLE_SECONDS:g} s (VmHWM "
            "of every process summed; summed VmRSS at its highest); PSS: summed at its highest, "
            "a page shared by n processes (as a forked worker shares its parent's) counted 1/n "
            "in each, so the memory the run takes from the machine.",
            "others' CPU: CPU time used meanwhile by processes outside the run, as a share of "
            "all CPUs (the machine may be shared; high values make that run's times unreliable).",
            "README target: main process < 300 MB.",
        ],
    )
    for name, run in runs.items():
        main = run.data.get("rss_mb", run.root_hwm_mb)
        table.add(
            name,
            run.wall,
            main,
            run.data.get("largest_child_rss_mb"),
            run.tree_hwm_sum_mb,
            run.tree_peak_mb,
            run.tree_pss_peak_mb,
            run.processes,
            100 * run.others_cpu,
        )
    return table


def pdf_section(
    folder: Path, guides: int | None, jobs: int, site_corpus: Corpus
) -> tuple[list[Table], dict]:
    """Benchmark the PDFs of the bundled guides (or `guides` clones) in the bundled locales, and
    the build process of the HTML corpus as its PDF stage would start."""
    bundled_guides, bundled_locales = bundled_counts()
    corpus = make_corpus(
        folder / "pdf-project",
        guides or bundled_guides,
        bundled_locales,
        unique=guides is not None and guides > bundled_guides,
    )
    runs = {
        f"PDF build -j {n}": build(
            fresh_copy(corpus, folder / f"pdf-j{n}"), formats=["pdf"], jobs=n
        )
        for n in sorted({1, jobs})
    }
    commands = {
        mode: [str(BENCH / "pdf_floor.py"), str(corpus.root), mode]
        for mode in ("floor", "floor_fonts", "guidegen")
    }
    modes, answers = run_alternating(commands, lambda ready: [str(n) for n in range(ready["jobs"])])
    runs["PDF floors (alternating)"] = modes["floor"]
    runs["PDF floor with guidegen's fonts (alternating)"] = modes["floor_fonts"]
    runs["PDF jobs one by one (alternating)"] = modes["guidegen"]
    rows = _joined(modes, answers)
    for n in sorted({1, jobs}):
        runs[f"PDF stage start -j {n}"] = run_python(
            [str(BENCH / "pdf_stage_memory.py"), str(site_corpus.root), str(n)]
        )
    tables = [
        per_pdf_table(rows, modes["floor"].data["css"]),
        pdf_jobs_table(runs, jobs),
        pdf_stage_table(runs, site_corpus, jobs),
        pdf_sizes_table(folder / f"pdf-j{jobs}" / "build" / "site"),
    ]
    return tables, runs


def pdf_stage_table(runs: dict[str, Run], corpus: Corpus, jobs: int) -> Table:
    """Show the build process of the whole corpus with both PDF formats as the PDF stage starts."""
    table = Table(
        f"Build process as the PDF stage starts: {corpus.documents:,} documents, "
        "formats pdf and large-pdf, every PDF job prepared, none rendered",
        [
            ("build", "text"),
            ("PDF jobs", "n"),
            ("HTML stages", "s"),
            ("build process RSS", "mb"),
            ("its peak", "mb"),
            ("jobs pickled", "mb"),
        ],
        notes=["The build holds every PDF job until the PDF stage; target: < 300 MB at any -j."],
    )
    for n in sorted({1, jobs}):
        data = runs[f"PDF stage start -j {n}"].data
        table.add(
            f"-j {n}",
            data["jobs"],
            data["seconds"],
            data["rss_mb"],
            data["peak_mb"],
            data["pickled_mb"],
        )
    return table


def profile_table(corpus: Corpus, folder: Path, jobs: int, rows: int = 25) -> tuple[Table, Run]:
    """Profile one more cold HTML build; show guidegen's functions that take the most time."""
    import pstats

    stats_file = folder / "cold-html.prof"
    project = fresh_copy(corpus, folder / "html-profiled")
    run = build(project, stats_file, formats=["html"], jobs=jobs)
    stats = pstats.Stats(str(stats_file)).stats
    ours = [(key, row) for key, row in stats.items() if "/guidegen/" in key[0]]
    total = max(cumulative for _, (_, _, _, cumulative, _) in ours)  # build() itself
    table = Table(
        f"Where a cold HTML build spends its time: guidegen's functions (cProfile, -j {jobs})",
        [
            ("function", "text"),
            ("calls", "n"),
            ("with callees", "s"),
            ("share of build()", "%"),
            ("own time", "s"),
        ],
        notes=[
            f"The {rows} functions of guidegen/ with the most time including their callees, in "
            f"one more cold build (profiled: {run.data['seconds']:.1f} s of build(), slower "
            "than unprofiled, so read the shares). Nested functions count in each caller."
        ],
    )
    for (path, line, name), (_, calls, own, cumulative, _) in sorted(
        ours, key=lambda item: item[1][3], reverse=True
    )[:rows]:
        table.add(f"{_short(path)}:{line} {name}", calls, cumulative, 100 * cumulative / total, own)
    return table, run


def _short(path: str) -> str:
    """Return a source path without the checkout's or site-packages' prefix."""
    for marker in ("site-packages/", f"{REPO}/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def _joined(modes: dict[str, Run], answers: list[dict]) -> list[dict]:
    """Join the floor's and guidegen's answers about each job (both prepared the same jobs)."""
    if any(run.data["paths"] != modes["guidegen"].data["paths"] for run in modes.values()):
        raise RuntimeError("the floor and guidegen processes prepared different PDF jobs")
    return [
        {key: value for answer in row.values() for key, value in answer.items()} for row in answers
    ]


def per_pdf_table(rows: list[dict], css: str) -> Table:
    """Compare each PDF's render time with guidegen's stylesheets and with the minimal one."""
    table = Table(
        "Per PDF: guidegen's stylesheets against a minimal-stylesheet floor (same HTML)",
        [
            ("locale", "text"),
            ("format", "text"),
            ("PDFs", "n"),
            ("guidegen", "s"),
            ("floor, tagged", "s"),
            ("floor, untagged", "s"),
            ("floor, tagged, guidegen's fonts", "s"),
            ("÷ tagged floor", "x"),
            ("÷ untagged floor", "x"),
            ("÷ floor with guidegen's fonts", "x"),
            ("pages: guidegen / floor", "text"),
        ],
        notes=[
            "Mean seconds per PDF. guidegen: PdfJob.run(), what a build's PDF worker runs, "
            "in one process; the floors in others; the processes take turns job by job. "
            "Floors: the same HTML with style.css and pdf.css replaced by `"
            + css.replace("\n", " ")
            + "` and fonts.css "
            "kept, rendered by weasyprint.HTML(string=..., url_fetcher=...) directly: "
            "write_pdf(pdf_variant='pdf/ua-1', pdf_tags=True), and write_pdf() untagged; "
            "the last floor is the tagged one in a third process with guidegen's font hooks "
            "(compact CJK subsets: WeasyPrint's own subsetting of Noto Sans CJK is slower), so "
            "that the ratio to it shows only what the stylesheets and print features cost."
        ],
    )
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["locale"], row["format"]), []).append(row)
    groups[("all", "all")] = rows
    for (locale, fmt), group in groups.items():
        mean = {
            k: statistics.mean(r[k] for r in group)
            for k in ("guidegen", "floor_tagged", "floor_plain", "floor_fonts")
        }
        pages = (
            f"{sum(r['guidegen_pages'] for r in group)} / "
            f"{sum(r['floor_tagged_pages'] for r in group)}"
        )
        table.add(
            locale,
            fmt,
            len(group),
            mean["guidegen"],
            mean["floor_tagged"],
            mean["floor_plain"],
            mean["floor_fonts"],
            ratio(mean["guidegen"], mean["floor_tagged"]),
            ratio(mean["guidegen"], mean["floor_plain"]),
            ratio(mean["guidegen"], mean["floor_fonts"]),
            pages,
        )
    return table


def pdf_jobs_table(runs: dict[str, Run], jobs: int) -> Table:
    """Compare the PDF stage of a PDF-only build at -j 1 and -j N."""
    table = Table(
        "PDF build (formats pdf and large-pdf): -j 1 against -j N (fresh copies)",
        [
            ("build", "text"),
            ("PDFs", "n"),
            ("wall", "s"),
            ("render HTML (prepare)", "s"),
            ("render PDF stage", "s"),
            ("s per PDF", "s"),
            ("÷ -j 1 PDF stage", "x"),
        ],
    )
    single = runs["PDF build -j 1"].data["stages"].get("render PDF")
    for n in sorted({1, jobs}):
        run = runs[f"PDF build -j {n}"]
        stage = run.data["stages"].get("render PDF")
        count = sum(1 for p in run.data["written"] if p.endswith(".pdf"))
        table.add(
            f"-j {n}",
            count,
            run.wall,
            run.data["stages"].get("render HTML"),
            stage,
            ratio(stage, count),
            ratio(stage, single),
        )
    return table


def pdf_sizes_table(site: Path) -> Table:
    """Show the median and largest PDF of each locale and format."""
    table = Table(
        "PDF sizes",
        [
            ("locale", "text"),
            ("format", "text"),
            ("PDFs", "n"),
            ("median", "kb"),
            ("largest", "kb"),
        ],
        notes=["README targets: en ≤ 300 KB, zh ≤ 700 KB (standard print)."],
    )
    sizes: dict[tuple[str, str], list[int]] = {}
    for pdf in sorted(site.glob("*/*/*.pdf")):
        fmt = "large-pdf" if pdf.name.endswith(".large.pdf") else "pdf"
        sizes.setdefault((pdf.parts[-3], fmt), []).append(pdf.stat().st_size)
    for (locale, fmt), values in sizes.items():
        table.add(locale, fmt, len(values), statistics.median(values), max(values))
    return table


def _raw_run(run: Run) -> dict:
    """Return a run's numbers for the JSON file (long lists of written files as their count)."""
    data = dict(run.data)
    if len(data.get("written", [])) > 20:
        data["written"] = len(data["written"])
    return {**run.__dict__, "data": data, "output": run.output[-2000:]}


def conditions_table(info: dict, runs: dict[str, Run]) -> Table:
    """Say what was measured: the checkout, the machine, how busy it was."""
    table = Table("Conditions", [("measure", "text"), ("value", "text")])
    changed = f", {info['changed_files']} tracked file(s) changed" if info["changed_files"] else ""
    end = info.get("commit_at_end", info["commit"])
    moved = f" (HEAD moved to {end} during the benchmark)" if end != info["commit"] else ""
    table.add("checkout", f"{info['commit']}{changed}{moved}")
    table.add("machine", f"{info['cpus']} CPUs, Python {info['python']}, {info['machine']}")
    others = [100 * run.others_cpu for run in runs.values()]
    table.add(
        "CPU used by other processes during the runs",
        f"median {statistics.median(others):.0f} %, highest {max(others):.0f} % of all CPUs "
        "(see the last table)",
    )
    table.add("guidegen's code during the runs", _code_versions(runs))
    waited = sum(run.waited for run in runs.values())
    if waited:
        table.add("waited for a quiet machine (--quiet-wait)", f"{waited:.0f} s in all")
    versions = ", ".join(f"{name} {v}" for name, v in info["versions"].items() if v)
    table.add("libraries", versions)
    table.add("date", info["date"])
    return table


def _code_versions(runs: dict[str, Run]) -> str:
    """Say whether every run measured the same guidegen code (others may edit the checkout)."""
    versions: dict[str, list[str]] = {}
    for name, run in runs.items():
        versions.setdefault(run.code, []).append(name)
    if len(versions) == 1:
        return f"unchanged (fingerprint {next(iter(versions))})"
    return f"CHANGED during the benchmark, {len(versions)} versions: " + "; ".join(
        f"{code}: {', '.join(names)}" for code, names in versions.items()
    )


def meta(args: argparse.Namespace) -> dict:
    """Return what the numbers were measured on: checkout, machine, library versions."""

    def git(*command: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *command], capture_output=True, text=True)
        return done.stdout.strip()

    packages = ("weasyprint", "markdown", "nh3", "jinja2", "pyyaml", "polib", "babel", "mkdocs")
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed_files": len(git("status", "--porcelain", "--untracked-files=no").splitlines()),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "versions": {name: _version(name) for name in packages},
        "args": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()},
    }


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def cold_build(corpus: Corpus, target: Path, jobs: int, repeat: int) -> Run:
    """Build a fresh copy of the corpus cold, `repeat` times; return the fastest run."""
    best = None
    walls = []
    for _ in range(max(1, repeat)):
        shutil.rmtree(target, ignore_errors=True)
        run = build(fresh_copy(corpus, target), formats=["html"], jobs=jobs)
        walls.append(run.wall)
        best = run if best is None or run.wall < best.wall else best
    best.data["jobs"], best.data["repeats"] = jobs, walls
    return best


def html_sections(
    args: argparse.Namespace, corpus: Corpus, folder: Path, runs: dict, raw: dict, check
) -> list[Table]:
    """Run the HTML sections: cold build, rebuilds, -j 1, floors, MkDocs; return their tables."""
    project = folder / f"html-j{args.jobs}"
    cold = runs[f"cold HTML -j {args.jobs}"] = cold_build(corpus, project, args.jobs, args.repeat)
    later: list[Table] = []
    if "rebuilds" not in args.skip:
        table, rebuilds = rebuild_section(project, corpus, cold, args.jobs)
        later.append(table)
        runs.update(rebuilds)
    if "jobs" not in args.skip and args.jobs != 1:
        single = runs["cold HTML -j 1"] = cold_build(corpus, folder / "html-j1", 1, args.repeat)
        later.append(jobs_table(cold, single))
    floors = None
    if "floors" not in args.skip:
        site = project / "build" / "site"
        runs["stage floors (one process)"] = run_python(
            [str(BENCH / "floors.py"), str(corpus.root), str(site)]
        )
        floors = raw["floors"] = runs["stage floors (one process)"].data
    tables = [corpus_table(corpus, floors, check)]
    if "mkdocs" not in args.skip:
        table, mkdocs_runs = mkdocs_section(corpus, folder, cold, guide_pages(cold))
        tables.append(table)
        runs.update(mkdocs_runs)
    return tables + stage_tables(cold, floors) + later


def main() -> None:
    """Make the corpus, run every section, print the tables, write the JSON."""
    args = parse_args()
    processes.quiet_wait = args.quiet_wait
    os.environ.setdefault("GUIDEGEN_TODAY", "2026-11-25")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="guidegen-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    info = meta(args)
    print(f"guidegen benchmark: {info['command']} (commit {info['commit']})", file=sys.stderr)
    corpus = make_corpus(folder / "project", args.guides, args.locales, not args.identical)
    check = run_check(corpus) if args.check else None
    runs, raw = {}, {"corpus": corpus.__dict__ | {"root": str(corpus.root)}}
    tables = html_sections(args, corpus, folder, runs, raw, check)
    if args.profile:
        table, runs["cold HTML, profiled"] = profile_table(corpus, folder, args.jobs)
        tables.append(table)
    if args.pdf:
        pdf_tables, pdf_runs = pdf_section(folder, args.pdf_guides, args.jobs, corpus)
        tables += pdf_tables
        runs.update(pdf_runs)
    info["commit_at_end"] = meta(args)["commit"]
    tables = [conditions_table(info, runs), *tables, runs_table(runs)]
    raw["runs"] = {name: _raw_run(run) for name, run in runs.items()}
    print("\n".join(table.markdown() for table in tables))
    if args.json:
        write_json(args.json, info, tables, raw)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
