"""Benchmark guidegen on a synthetic corpus made from the bundled guides; prints one table.

Usage:
  .venv/bin/pip install -e '.[bench]'
  .venv/bin/python bench/run.py [--guides 200] [--locales 5] [--jobs N] [--keep DIR]

All numbers come from one run on this machine; compare them as ratios (the machine is noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EXTRA_LOCALE = "zh-Hant"  # a fifth locale for the corpus: catalogs copied from zh-Hans


def make_corpus(target: Path, guides: int, locales: int) -> list[str]:
    """Copy the project and clone its guides (and their catalogs) up to the requested count."""
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "templates", target / "templates")
    config = (REPO / "guidegen.yaml").read_text()
    config = re.sub(r"publish_threshold: [0-9.]+", "publish_threshold: 0.0", config)
    codes = re.findall(r"- code: (\S+)", config)
    if locales > len(codes):
        config += (
            f"  - code: {EXTRA_LOCALE}\n    name: 繁體中文\n    dir: ltr\n"
            "    font: Noto Sans CJK SC\n    font_package: fonts-noto-cjk\n"
        )
        shutil.copytree(
            target / "content/locales/zh-Hans", target / f"content/locales/{EXTRA_LOCALE}"
        )
        codes.append(EXTRA_LOCALE)
    for code in codes[locales:]:
        config = re.sub(rf"  - code: {re.escape(code)}\n(    .*\n)*", "", config)
        shutil.rmtree(target / f"content/locales/{code}", ignore_errors=True)
    (target / "guidegen.yaml").write_text(config)
    originals = sorted(p.stem for p in (target / "content/guides").glob("*.yaml"))
    for number in range(guides - len(originals)):
        source = originals[number % len(originals)]
        new_id = f"{source}-{number:04d}"
        text = (target / f"content/guides/{source}.yaml").read_text()
        text = text.replace(f"id: {source}", f"id: {new_id}", 1)
        (target / f"content/guides/{new_id}.yaml").write_text(text)
        for po in (target / "content/locales").glob(f"*/guides/{source}.po"):
            po.with_name(f"{new_id}.po").write_text(
                po.read_text().replace(f'msgctxt "{source}|', f'msgctxt "{new_id}|')
            )
    return codes[:locales]


def run_build(project: Path, *extra: str) -> dict:
    """Run one build in a fresh process; return wall time, its peak RSS and what it rendered."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from guidegen.commands.build import BuildOptions, build\n"
        "start = time.perf_counter()\n"
        f"options = BuildOptions(project=Path({str(project)!r}),"
        f" out=Path({str(project / 'build')!r}),"
        f" {', '.join(extra)})\n"
        "result = build(options)\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'written': result.written,"
        " 'stages': result.stages,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # measure this checkout's guidegen
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall"] = time.perf_counter() - started
    return data


def pdf_stage_floor(project: Path, jobs: int) -> tuple[float, float, int]:
    """Render the same PDF HTML with bare WeasyPrint (one process per core) and with guidegen."""
    from guidegen.cache import BuildCache
    from guidegen.commands.build import Build, BuildOptions, load_and_validate, plan_build
    from guidegen.localize import localize_site
    from guidegen.pipeline import pdf_jobs
    from guidegen.problems import Report
    from guidegen.render import PageRenderer, make_environment
    from guidegen.workers import render_all

    state = Build(
        BuildOptions(project=project, out=project / "floor"), Report(project), BuildCache()
    )
    state.project = load_and_validate(state)
    plan = plan_build(state)
    env = make_environment(project)
    jobs_list = []
    for code, guides in plan.published.items():
        site = localize_site(state.project, state.project.config.locale(code), state.report, guides)
        renderer = PageRenderer(env, state.project.config, site, project, state.report)
        variants = [i.variant for i in plan.outputs if i.kind == "pdf" and i.locale == code]
        for guide_id in guides:
            jobs_list += pdf_jobs(
                renderer,
                state.project,
                site,
                guide_id,
                sorted(set(variants), key=lambda v: v.suffix),
            )
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_import_weasyprint) as pool:
        list(
            pool.map(
                _bare_render, [(j.html, j.base_dir.as_uri() + "/") for j in jobs_list], chunksize=1
            )
        )
    bare = time.perf_counter() - started
    started = time.perf_counter()
    render_all(jobs_list, jobs, lambda job, output, error: None)
    ours = time.perf_counter() - started
    return bare, ours, len(jobs_list)


def _import_weasyprint() -> None:
    import logging

    import weasyprint  # noqa: F401

    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _bare_render(args: tuple[str, str]) -> int:
    from weasyprint import HTML

    html, base = args
    return len(HTML(string=html, base_url=base).write_pdf(pdf_tags=True))


def mkdocs_pages_per_second(project: Path, folder: Path, pages: int) -> float:
    """Build the same guides as Markdown pages with MkDocs; return pages per second."""
    docs = folder / "mkdocs" / "docs"
    docs.mkdir(parents=True)
    import yaml

    guides = sorted((project / "content/guides").glob("*.yaml"))
    for number in range(pages):
        guide = yaml.safe_load(guides[number % len(guides)].read_text())
        parts = [f"# {guide['title']}", guide["summary"], "## Steps"]
        for step in guide["steps"]:
            parts += [f"### {step['title']}", step["body"], step.get("where", "")]
            parts += [f"- [ ] {item}" for item in step.get("documents", [])]
        parts += [
            "## What happens next",
            guide.get("what_next", ""),
            "## If the answer is no",
            guide.get("if_refused", ""),
        ]
        parts += [f"### {q['question']}\n\n{q['answer']}" for q in guide.get("faq", [])]
        (docs / f"page-{number:05d}.md").write_text("\n\n".join(parts))
    (folder / "mkdocs" / "mkdocs.yml").write_text("site_name: bench\nuse_directory_urls: true\n")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",  # noqa: S603
            str(folder / "mkdocs" / "mkdocs.yml"),
        ],
        check=True,
    )
    return pages / (time.perf_counter() - started)


def edit_one_passage(project: Path) -> None:
    """Change one translated step title of one guide in one locale (zh-Hans)."""
    po = project / "content/locales/zh-Hans/guides/legal-aid.po"
    text = po.read_text()
    step = re.search(r'msgctxt "legal-aid\|steps\.[a-z-]+\.title"\nmsgid ".*"\nmsgstr "(.*)"', text)
    po.write_text(text.replace(f'msgstr "{step.group(1)}"', f'msgstr "{step.group(1)}（修订）"', 1))


def markdown_pages_per_second(project: Path, pages: int) -> float:
    """The floor: Python-Markdown and nh3 alone over the Markdown passages of the same pages."""
    import markdown
    import yaml

    from guidegen.markup import sanitise

    guides = sorted((project / "content/guides").glob("*.yaml"))
    texts = []
    for number in range(pages):
        guide = yaml.safe_load(guides[number % len(guides)].read_text())
        texts.append(
            [guide["summary"], guide["audience"], guide.get("what_next", "")]
            + [step["body"] for step in guide["steps"]]
            + [item["answer"] for item in guide.get("faq", [])]
        )
    converter = markdown.Markdown()
    started = time.perf_counter()
    for page in texts:
        for text in page:
            converter.reset()
            sanitise(converter.convert(text))
    return pages / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=200)
    parser.add_argument("--locales", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="keep the corpus in this folder")
    parser.add_argument(
        "--format",
        choices=["all", "html"],
        default="all",
        help="html skips the PDFs (for quick runs at large sizes)",
    )
    args = parser.parse_args()
    os.environ.setdefault("GUIDEGEN_TODAY", "2026-11-25")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="guidegen-bench-"))
    project = folder / "project"
    codes = make_corpus(project, args.guides, args.locales)
    with_pdf = args.format == "all"
    options = (f"jobs={args.jobs}", f"formats={args.format!r}")
    rows = [
        (
            "corpus",
            f"{args.guides} guides x {len(codes)} locales = "
            f"{args.guides * len(codes)} documents, formats {args.format}, -j {args.jobs}",
        )
    ]

    full = run_build(project, *options)
    rows.append(
        (
            "full build",
            f"{full['wall']:.1f} s wall ({len(full['written'])} files), "
            f"main-process peak RSS {full['rss_mb']:.0f} MB (target < 300 MB)",
        )
    )
    noop = run_build(project, *options)
    rows.append(
        (
            "no-op rebuild",
            f"{noop['wall']:.2f} s, rendered {len(noop['written'])}, "
            f"{100 * noop['wall'] / full['wall']:.1f}% of full "
            "(target < 3 s at 1,000 documents, <= 5%)",
        )
    )
    edit_one_passage(project)
    edit = run_build(project, *options)
    rows.append(
        (
            "one-edit rebuild",
            f"{edit['wall']:.2f} s, rendered {len(edit['written'])}: " + ", ".join(edit["written"]),
        )
    )

    html_only = folder / "html-only"
    shutil.copytree(project, html_only, ignore=shutil.ignore_patterns("build", "floor"))
    html = run_build(html_only, "formats='html'", "jobs=1")
    pages = [p for p in html["written"] if p.endswith("/index.html") and p.count("/") == 2]
    ours = len(pages) / html["seconds"]
    render_rate = len(pages) / html["stages"]["render HTML"]
    mkdocs = mkdocs_pages_per_second(project, folder, len(pages))
    floor = markdown_pages_per_second(project, len(pages))
    rows.append(
        (
            "HTML pages per second",
            f"guidegen {ours:.0f} (cold build, one process), "
            f"MkDocs {mkdocs:.0f}: {ours / mkdocs:.1f}x (target >= 10x); "
            f"Markdown+nh3 alone {floor:.0f}; "
            f"guidegen's render stage alone {render_rate:.0f} ({render_rate / mkdocs:.1f}x MkDocs)",
        )
    )
    rows.append(
        (
            "cold HTML build by stage",
            ", ".join(f"{name} {seconds:.1f} s" for name, seconds in html["stages"].items()),
        )
    )
    if with_pdf:
        bare, ours_pdf, pdf_count = pdf_stage_floor(project, args.jobs)
        rows.append(
            (
                "PDF stage: bare WeasyPrint / guidegen",
                f"{bare:.1f} s / {ours_pdf:.1f} s for {pdf_count} PDFs, ratio "
                f"{ours_pdf / bare:.2f} (target <= 1.10)",
            )
        )
        for code in ("en", "zh-Hans"):
            sizes = [
                p.stat().st_size / 1024
                for p in (project / "build/site" / code).glob(f"*/*.{code}.pdf")
            ]
            if sizes:
                rows.append(
                    (
                        f"PDF size {code}",
                        f"median {statistics.median(sizes):.0f} KB, "
                        f"max {max(sizes):.0f} KB over {len(sizes)} guides",
                    )
                )
    width = max(len(name) for name, _ in rows)
    print("\n".join(f"{name:<{width}}  {value}" for name, value in rows))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
