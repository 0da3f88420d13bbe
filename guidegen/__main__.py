"""The command line: parse options and call one function per command, nothing else."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from . import __version__
from .formats import choices as format_choices

PROJECT = click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (the one with guidegen.yaml).",
)
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
REPORT_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)


def _parse_shard(ctx, param, value: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("write it as K/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter("K must be between 1 and N")
    return index, count


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guidegen")
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def cli(verbose: bool) -> None:
    """Turn curated YAML about legal processes into accessible HTML pages and tagged PDFs."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


@cli.command("build")
@PROJECT
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder.  [default: PROJECT/build]",
)
@click.option("--locale", "locales", multiple=True, help="Build only this locale (repeatable).")
@click.option("--guide", "guides", multiple=True, help="Build only this guide id (repeatable).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(format_choices()),
    help="Build only this format or family (repeatable): html, pdf, large-pdf, txt ...  "
    "[default: all]",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper size of the PDFs.  [default: from guidegen.yaml]",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes for the checks, the pages and the PDFs.  [default: number of cores]",
)
@STRICT
@click.option(
    "--keep-going", is_flag=True, help="Build every guide that can be built; exit 1 if any failed."
)
@click.option("--force", is_flag=True, help="Rebuild everything, even outputs that are up to date.")
@click.option(
    "--shard",
    callback=_parse_shard,
    default="1/1",
    show_default=True,
    help="Build only the K-th of N deterministic slices of the guides (K/N).",
)
def build_command(
    project: Path,
    out: Path | None,
    locales,
    guides,
    formats,
    paper,
    jobs,
    strict,
    keep_going,
    force,
    shard,
) -> None:
    """Build the site: HTML pages and PDFs for every guide and locale."""
    _leave_without_teardown()
    from .commands.build import BuildOptions, build
    from .progress import Progress

    options = BuildOptions(
        project,
        out or project / "build",
        locales,
        guides,
        formats,
        jobs,
        strict,
        keep_going,
        paper,
        force,
        shard,
    )
    with Progress() as progress:
        result = build(options, progress)
    for problem in result.report.warnings:
        click.echo(str(problem), err=True)
    click.echo(result.summary(), err=True)


@cli.command("check")
@PROJECT
@STRICT
@REPORT_FORMAT
def check_command(project: Path, strict: bool, output_format: str) -> None:
    """Validate content, references, review dates and translations without rendering."""
    _leave_without_teardown()
    from .commands.check import check

    report = check(project)
    if output_format == "json":
        click.echo(report.as_json())
    elif report.problems:
        click.echo(report.as_text(), err=True)
    if output_format == "text":
        click.echo(
            f"{len(report.errors)} error(s), {len(report.warnings)} warning(s), "
            f"{len(report.notes)} note(s)",
            err=True,
        )
    if report.failed(strict):
        sys.exit(1)


@cli.group("i18n")
def i18n_group() -> None:
    """Translators' commands: update catalogs, add a locale, see what is missing."""


@i18n_group.command("update")
@PROJECT
@click.option("--locale", "locales", multiple=True, help="Update only this locale (repeatable).")
def i18n_update_command(project: Path, locales) -> None:
    """Merge changed source passages into every locale's PO catalogs (changed ones become fuzzy)."""
    from .commands.i18n import update

    for path in update(project, locales):
        click.echo(f"updated {path.relative_to(project.resolve())}")


@i18n_group.command("init")
@PROJECT
@click.argument("locale")
def i18n_init_command(project: Path, locale: str) -> None:
    """Add LOCALE to guidegen.yaml and create its catalogs."""
    from .commands.i18n import init

    written = init(project, locale)
    click.echo(f"created locale {locale}: {len(written)} catalog(s)")


@i18n_group.command("status")
@PROJECT
@REPORT_FORMAT
def i18n_status_command(project: Path, output_format: str) -> None:
    """Show per locale and guide how many passages are translated, outdated and missing."""
    import json

    from .commands.i18n import status

    result = status(project)
    if output_format == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for code, data in result["locales"].items():
        click.echo(f"{code} (published from {data['publish_threshold']:.0%} translated)")
        rows = [*data["guides"].items(), ("(shared.po)", data["shared"]), ("(ui.po)", data["ui"])]
        for name, counts in rows:
            percent = 100 * counts["translated"] // counts["total"] if counts["total"] else 100
            click.echo(
                f"  {name:40} {percent:3d}%  translated {counts['translated']:3d}"
                f"  outdated {counts['outdated']:3d}  missing {counts['missing']:3d}"
                f"  of {counts['total']:3d}  ({counts['words'] - counts['words_translated']} "
                "source words to do)"
            )


@i18n_group.command("glossary")
@PROJECT
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["tbx", "csv"]),
    default="tbx",
    show_default=True,
    help="TermBase eXchange (Weblate, most CAT tools) or CSV.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/glossary"),
    show_default=True,
    help="Folder to write <locale>.tbx (or .csv) into.",
)
def i18n_glossary_command(project: Path, output_format: str, out: Path) -> None:
    """Export each locale's glossary (the termbase) for Weblate's glossary or a CAT tool."""
    from .commands.i18n import export_glossary

    for path in export_glossary(project, out, output_format):
        click.echo(f"wrote {path}")


@cli.command("serve")
@PROJECT
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on localhost.",
)
@click.option("--pdf", "with_pdf", is_flag=True, help="Also build the PDFs on every change.")
def serve_command(project: Path, port: int, with_pdf: bool) -> None:
    """Preview on localhost; rebuild and reload when a YAML, PO or template file changes."""
    from .commands.serve import serve

    serve(project, port, with_pdf)


@cli.command("bundle")
@PROJECT
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The build folder.  [default: PROJECT/build]",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The zip file to write.  [default: BUILD/guides.zip]",
)
def bundle_command(project: Path, build_dir: Path | None, out: Path | None) -> None:
    """Zip the built site and PDFs for offline use (open guides/index.html from the stick)."""
    from .commands.bundle import bundle

    build_dir = build_dir or project / "build"
    target = out or build_dir / "guides.zip"
    count = bundle(build_dir, target)
    click.echo(f"wrote {target} ({count} files)", err=True)


@cli.command("merge-manifests")
@click.argument(
    "manifests",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the merged manifest.json into.",
)
def merge_manifests_command(manifests, out: Path) -> None:
    """Merge the manifest.json files of shard builds (--shard K/N) into one."""
    from .output import merge_manifests, write_manifest

    merged = merge_manifests(list(manifests))
    out.mkdir(parents=True, exist_ok=True)
    write_manifest(out, merged)
    click.echo(f"merged {len(merged)} entries into {out / 'manifest.json'}", err=True)


@cli.command("new")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--locale",
    "locales",
    multiple=True,
    help="A language to translate into, e.g. es, zh-Hans, ug (repeatable).  [default: none]",
)
@click.option(
    "--source-locale",
    default="en",
    show_default=True,
    help="The language the guides are written in.",
)
def new_command(directory: Path, locales: tuple[str, ...], source_locale: str) -> None:
    """Start a new project: settings, an example guide, translation catalogs and a README."""
    from .commands.new import new_project

    written = new_project(directory, source_locale, locales)
    click.echo(f"created {directory} ({len(written)} files). Next:")
    click.echo(f"  cd {directory} && guidegen check --strict && guidegen build")


@cli.command("docs")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/authoring.md"),
    show_default=True,
    help="Where to write it.",
)
def docs_command(out: Path) -> None:
    """Write the authors' reference of every content field, generated from the schema."""
    from .commands.docs import write_reference

    click.echo(f"{'wrote' if write_reference(out) else 'up to date:'} {out}")


def main() -> None:
    """Run the CLI (console script entry point); a bug ends in one line, not a traceback."""
    global _SKIP_TEARDOWN
    _SKIP_TEARDOWN = False
    code = _run()
    if _SKIP_TEARDOWN:
        # build and check leave hundreds of MB of objects (the parsed project and catalogs):
        # freeing them one by one at exit took 7 % of a cold build. Their files are closed
        # and published by now; only the standard streams still need flushing.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:  # a closed pipe (guidegen check | head): nothing more to say
                pass
        _hard_exit(code)
    sys.exit(code)


_SKIP_TEARDOWN = False
_hard_exit = os._exit  # tests that call main() in their own process replace it


def _leave_without_teardown() -> None:
    """Let main end the process without freeing every object (for build and check)."""
    global _SKIP_TEARDOWN
    _SKIP_TEARDOWN = True


def _run() -> int:
    """Run the CLI; return the exit code."""
    try:
        cli(prog_name="guidegen", standalone_mode=False)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
            return 1
        return exc.code or 0
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Exception as exc:  # not the input's fault: report it as a bug
        if "-v" in sys.argv or "--verbose" in sys.argv:
            raise
        click.echo(
            f"guidegen: internal error: {type(exc).__name__}: {exc} "
            "(run again with -v for details, and please report it)",
            err=True,
        )
        return 1
    return 0


if __name__ == "__main__":
    main()
