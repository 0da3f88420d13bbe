"""Build behaviour: manifest, determinism, atomic writes, --keep-going, sandboxed fetching."""

from __future__ import annotations

import hashlib
import json
import socket

import pytest
from click.testing import CliRunner

from guidegen.__main__ import cli
from guidegen.commands.build import BuildOptions, build
from guidegen.errors import BuildError
from guidegen.formats.pdf import PdfJob
from guidegen.pdf import FetchRefused, make_fetcher

from .conftest import FIXTURES, tiny_guide_copies


def test_manifest_lists_every_output_with_hash_and_size(tiny_build):
    manifest = json.loads((tiny_build / "manifest.json").read_text())["files"]
    paths = [row["path"] for row in manifest]
    assert paths == sorted(paths)
    on_disk = sorted(
        p.relative_to(tiny_build / "site").as_posix()
        for p in (tiny_build / "site").rglob("*")
        if p.is_file()
    )
    assert paths == on_disk
    for row in manifest:
        data = (tiny_build / "site" / row["path"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["bytes"] == len(data)
    pdf = next(r for r in manifest if r["path"] == "zh-Hans/leave-list/leave-list.zh-Hans.pdf")
    assert (pdf["guide"], pdf["locale"], pdf["format"]) == ("leave-list", "zh-Hans", "pdf")


def test_two_builds_are_byte_identical_serial_and_parallel(tmp_project, tiny_build):
    root = tmp_project()
    build(BuildOptions(project=root, out=root / "build", jobs=1))
    first = (root / "build" / "manifest.json").read_bytes()
    assert first == (tiny_build / "manifest.json").read_bytes()  # tiny_build ran with -j 2


def test_failed_render_leaves_previous_outputs_intact(tmp_project, monkeypatch):
    root = tmp_project()
    out = root / "build"
    build(BuildOptions(project=root, out=out, locales=("en",), jobs=1))
    published = (out / "current").resolve()
    # The spare the first build left (a hard-link copy of its site) becomes the next build's
    # version, and goes with it when that build fails: everything else stays as it was.
    (spare,) = [v for v in (out / ".versions").iterdir() if v != published]
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and spare not in p.parents}

    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(guide.read_text().replace("Leaving the list", "Leaving the list, new edition"))
    calls = []
    real = PdfJob.run

    def fail_on_second(job):
        calls.append(job.path)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(job)

    monkeypatch.setattr(PdfJob, "run", fail_on_second)
    with pytest.raises(BuildError, match="disk on fire"):
        build(BuildOptions(project=root, out=out, locales=("en",), jobs=1))
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # nothing half-written, nothing replaced, no temporary files left


def test_keep_going_builds_the_rest_and_exits_one(tmp_project, monkeypatch):
    root = tmp_project()
    real = PdfJob.run

    def fail_large(job):
        if job.path.endswith(".large.pdf"):
            raise RuntimeError("out of paper")
        return real(job)

    monkeypatch.setattr(PdfJob, "run", fail_large)
    result = CliRunner().invoke(
        cli, ["build", "--project", str(root), "--locale", "en", "-j", "1", "--keep-going"]
    )
    assert result.exit_code == 1
    assert "en/leave-list/leave-list.en.large.pdf: RuntimeError: out of paper" in result.output
    assert (root / "build/site/en/leave-list/leave-list.en.pdf").is_file()
    assert not (root / "build/site/en/leave-list/leave-list.en.large.pdf").exists()
    assert not (root / "build/current/stamp.json").exists()  # the same build must try again


def test_fetcher_serves_assets_and_refuses_everything_else(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "a.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = make_fetcher([assets], {"guidegen-memory:qr.svg": b"<svg/>"})
    assert fetcher.fetch((assets / "a.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("guidegen-memory:qr.svg").read() == b"<svg/>"
    for url in [
        (tmp_path / "secret.txt").as_uri(),
        (assets / ".." / "secret.txt").as_uri(),
        "file:///etc/passwd",
        "file:///dev/zero",
        "http://127.0.0.1/x.css",
        "https://example.org/font.woff2",
        "ftp://example.org/x",
        "data:text/css,p{}",
        "file://evil.example/share/x.css",
        "guidegen-memory:other.svg",
    ]:
        with pytest.raises((FetchRefused, ValueError)):
            fetcher.fetch(url)


def test_hostile_build_opens_no_connection(tmp_project, monkeypatch):
    hostile = (
        'Look <img src="http://127.0.0.1:9/x.png"> <link rel="attachment" href="http://127.0.0.1:9/a">\n\n'
        "<style>@import url(http://127.0.0.1:9/x.css); p { background: url(http://127.0.0.1:9/b.png) }</style>"
        '<iframe src="http://127.0.0.1:9/"></iframe> <object data="file:///etc/passwd"></object>'
    )
    # A project stylesheet that asks for remote and local files reaches WeasyPrint unsanitised:
    # only the fetcher stands between it and the network.
    css = (
        "@import url(http://127.0.0.1:9/x.css);\n"
        "body { background: url(http://127.0.0.1:9/b.png); }\n"
        "h1 { background: url(file:///etc/hostname); }\n"
    )
    root = tmp_project(files={"templates/pdf.css": css})
    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(
        guide.read_text().replace(
            'what_next: "The court tells the banks."', f"what_next: {json.dumps(hostile)}"
        )
    )
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    build(BuildOptions(project=root, out=root / "build", locales=("en",), jobs=1))
    assert attempts == []
    html = (root / "build/site/en/leave-list/index.html").read_text()
    for construct in ("<img", "<style>@import", "<iframe", "<object", "127.0.0.1"):
        assert construct not in html


def test_project_templates_override_builtin_ones(tmp_project):
    from guidegen.pipeline import find_template_file
    from guidegen.render import BUILTIN_TEMPLATES, make_environment

    root = tmp_project(files={"templates/index.html": "{{ site.title }} custom"})
    env = make_environment(root)
    assert env.get_template("index.html").filename == str(root / "templates" / "index.html")
    assert env.get_template("guide.html").filename == str(BUILTIN_TEMPLATES / "guide.html")
    assert find_template_file(root, "style.css") == BUILTIN_TEMPLATES / "style.css"


def test_guide_past_review_date_carries_out_of_date_notice(tmp_project, monkeypatch):
    from .pdf_facts import page_texts

    monkeypatch.setenv("GUIDEGEN_TODAY", "2027-06-01")
    root = tmp_project()
    build(BuildOptions(project=root, out=root / "build", locales=("en",), jobs=1))
    html = (root / "build/site/en/leave-list/index.html").read_text()
    assert '<div class="stale" role="alert">' in html
    assert "This guide may be out of date." in html
    text = " ".join(page_texts(root / "build/site/en/leave-list/leave-list.en.pdf"))
    assert "This guide may be out of date." in text


def test_letter_paper_variant(tmp_project):
    import pikepdf

    root = tmp_project()
    build(BuildOptions(project=root, out=root / "build", locales=("en",), paper="letter", jobs=1))
    with pikepdf.open(root / "build/site/en/leave-list/leave-list.en.pdf") as pdf:
        width, height = [round(float(v)) for v in pdf.pages[0].MediaBox[2:]]
    assert (width, height) == (612, 792)  # US Letter in points
    with pikepdf.open(root / "build/site/en/leave-list/leave-list.en.large.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox[2:]] == [612, 792]


def test_bundle_is_offline_and_reproducible(tiny_build, tmp_path):
    import re
    import zipfile

    from guidegen.commands.bundle import bundle

    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    bundle(tiny_build, first)
    bundle(tiny_build, second)
    assert first.read_bytes() == second.read_bytes()
    manifest = json.loads((tiny_build / "manifest.json").read_text())["files"]
    with zipfile.ZipFile(first) as archive:
        assert sorted(archive.namelist()) == sorted(f"guides/{r['path']}" for r in manifest)
        for name in archive.namelist():
            if name.endswith(".html"):
                html = archive.read(name).decode()
                resources = re.findall(
                    r'<(?:img|script|link rel="stylesheet")[^>]*(?:src|href)="([^"]+)"', html
                )
                assert all(not r.startswith(("http:", "https:", "//", "/")) for r in resources), (
                    name
                )


def test_missing_font_stops_the_build_naming_the_package(tmp_project):
    from click.testing import CliRunner as Runner

    root = tmp_project()
    config = root / "guidegen.yaml"
    config.write_text(
        config.read_text().replace(
            "font: Noto Sans CJK SC\n    font_package: fonts-noto-cjk",
            "font: Noto Sans Nowhere\n    font_package: fonts-noto-nowhere",
        )
    )
    result = Runner().invoke(cli, ["build", "--project", str(root), "--locale", "zh-Hans"])
    assert result.exit_code == 1
    assert (
        "font 'Noto Sans Nowhere' needed by locale 'zh-Hans' is not installed "
        "(install it: sudo apt-get install fonts-noto-nowhere)"
    ) in result.output
    assert not (root / "build/site/zh-Hans/leave-list/leave-list.zh-Hans.pdf").exists()


def test_weasyprint_warnings_are_reported_and_fail_strict_builds(tmp_project):
    from guidegen.render import BUILTIN_TEMPLATES

    root = tmp_project()
    (root / "templates").mkdir()
    css = (BUILTIN_TEMPLATES / "pdf.css").read_text() + "\nbody { page-break-weird: 3; }\n"
    (root / "templates/pdf.css").write_text(css)
    args = ["build", "--project", str(root), "--locale", "en", "--format", "pdf"]
    strict = CliRunner().invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1, strict.output
    assert "site/en/leave-list/leave-list.en.pdf:1:1: warning: WeasyPrint: Ignored" in strict.output
    assert not (root / "build/site").exists(), "nothing published"
    relaxed = CliRunner().invoke(cli, args)
    assert relaxed.exit_code == 0 and "WeasyPrint: Ignored" in relaxed.output
    again = CliRunner().invoke(cli, [*args, "--strict"])  # up to date, and still not clean
    assert again.exit_code == 1 and "WeasyPrint: Ignored" in again.output


def test_a_locale_index_lists_the_same_whether_its_guides_were_rendered_or_not(tmp_project):
    """The index shows titles and summaries the guides' page workers localised; guides this build
    does not render (here: the other shard's) are localised for the index itself."""
    guide = (FIXTURES / "tiny/content/guides/leave-list.yaml").read_text(encoding="utf-8")
    second = guide.replace("id: leave-list", "id: second-guide", 1)
    second = second.replace("title: ", "title: Second guide, ", 1)
    root = tmp_project({"content/guides/second-guide.yaml": second})
    pages = {}
    for name, extra in (("whole", []), ("shard", ["--shard", "1/2"])):
        out = root / name
        args = ["build", "--project", str(root), "--out", str(out), "--format", "html", "-j", "1"]
        result = CliRunner().invoke(cli, args + extra)
        assert result.exit_code == 0, result.output
        pages[name] = (out / "site/en/index.html").read_text(encoding="utf-8")
    assert "second-guide/index.html" in pages["whole"] and "Second guide" in pages["whole"]
    assert not (root / "shard/site/en/second-guide/index.html").exists()  # not rendered there
    assert pages["shard"] == pages["whole"]


def test_a_build_collects_cycles_rarely_and_restores_the_collector(tmp_project, monkeypatch):
    import gc

    from guidegen.collector import BUILD_THRESHOLDS
    from guidegen.commands import build_stages as build_module

    seen = []
    real = build_module.plan_build

    def plan(state):
        seen.append(gc.get_threshold())
        return real(state)

    monkeypatch.setattr(build_module, "plan_build", plan)
    before = gc.get_threshold()
    root = tmp_project()
    build(BuildOptions(project=root, out=root / "build", formats="html", jobs=1))
    assert seen == [BUILD_THRESHOLDS] and gc.get_threshold() == before


def test_a_catalog_set_aside_reports_its_problems_again_when_read(tmp_path):
    """The problems reading a catalog found are set aside with it (packed too) and reported
    again, the same, each time it is read."""
    from guidegen import i18n
    from guidegen.problems import Report

    path = tmp_path / "broken.po"
    path.write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")  # the string never ends
    i18n.forget_catalogs()
    try:
        first = Report(tmp_path)
        assert i18n.read_catalog(path, first) is None and first.problems
        i18n.set_aside_parsed(set(), keep=True)
        assert not i18n.parsed_keys() and len(i18n._PACKED) == 1
        again = Report(tmp_path)
        assert i18n.read_catalog(path, again) is None
        assert again.problems == first.problems
    finally:
        i18n.forget_catalogs()


def test_a_worker_sets_catalogs_aside_packed_and_drops_them_after_rendering(tmp_project):
    """A check worker keeps the catalogs it parsed packed (and compressed) until it renders
    their guide, then drops them; so is each localised guide. Read again, they show the same."""
    import pickle
    import zlib

    from guidegen import i18n
    from guidegen.loader import load_project
    from guidegen.localize import localize_site
    from guidegen.po import pack
    from guidegen.problems import Report

    root = tmp_project()
    path = i18n.catalog_path(root, "zh-Hans", "leave-list")
    i18n.forget_catalogs()
    try:
        fresh = i18n.read_catalog(path, Report(root))
        i18n.set_aside_parsed(set(), keep=True)
        assert not i18n.parsed_keys()  # set aside: only the packed copy is left
        (kept,) = i18n._PACKED.values()
        plain = pickle.dumps((pack(fresh, notes=False), []), pickle.HIGHEST_PROTOCOL)
        assert zlib.decompress(kept) == plain and len(kept) < len(plain) * 0.6  # compressed
        unpacked = i18n.read_catalog(path, Report(root))
        assert unpacked is not fresh and unpacked is not None and fresh is not None
        assert [(m.context, m.id, m.string, m.flags) for m in unpacked.messages] == [
            (m.context, m.id, m.string, m.flags) for m in fresh.messages
        ]  # without the notes a page never shows (see test_po)
        assert any(m.auto_comments for m in fresh.messages)
        assert not any(m.auto_comments or m.references for m in unpacked.messages)
        assert any(k[0] == path for k in i18n.parsed_keys())
        i18n.drop_catalogs([path])
        assert not any(k[0] == path for k in i18n.parsed_keys()) and not i18n._PACKED
        again = i18n.read_catalog(path, Report(root))  # parsed again
        assert again == fresh
        i18n.set_aside_parsed(set(), keep=False)
        assert not i18n.parsed_keys() and not i18n._PACKED
    finally:
        i18n.forget_catalogs()
    project = load_project(root, Report(root))
    assert project is not None
    site = localize_site(project, project.config.locale("zh-Hans"), Report(root), ["leave-list"])
    first = site.guides["leave-list"]
    site.forget("leave-list")
    again = site.guides["leave-list"]
    assert again == first and again is not first


def test_the_build_process_holds_no_guide_catalog_once_the_pages_are_made(tmp_project):
    """The indexes and related-guide links show headings the checks cached: nothing reads a
    guide's catalog again after its pages are rendered."""
    from guidegen import i18n

    root = tmp_project()
    i18n.forget_catalogs()
    try:
        build(BuildOptions(project=root, out=root / "build", formats="html", jobs=1))
        held = sorted(key[0].relative_to(root).as_posix() for key in i18n.parsed_keys())
        assert held == [
            "content/locales/zh-Hans/shared.po",
            "content/locales/zh-Hans/ui.po",
        ]
        assert not i18n._PACKED
    finally:
        i18n.forget_catalogs()


def test_a_projects_own_guide_body_can_still_use_the_themes_letter_macros(tmp_project):
    # Letters' bodies and blanks are written in Python now; the theme's macros still stand for
    # them, so a project's _guide_body.html that imports them keeps working (sandboxed).
    from guidegen.render import BUILTIN_TEMPLATES

    own = (BUILTIN_TEMPLATES / "_guide_body.html").read_text() + (
        "{% for letter in guide.letters %}{% set labels = {} %}"
        "{% for b in letter.blanks %}{% set _unused = labels.update({b.id: b}) %}{% endfor %}"
        '<div class="own-blank">'
        '{{ blank(letter.blanks[0], "own-" ~ letter.id, False, locale.code) }}</div>'
        '<div class="own-body">{{ letter_body(letter, labels, locale.code, False) }}</div>'
        "{% endfor %}"
    )
    root = tmp_project(files={"templates/_guide_body.html": own})
    build(BuildOptions(project=root, out=root / "build", locales=("en",), formats=("html",)))
    html = (root / "build/site/en/leave-list/index.html").read_text()
    blank = html.split('<div class="own-blank">')[1].split("</div>")[0]
    assert blank.startswith('<span class="blank') and '<span class="blank-rule">' in blank
    assert '<span class="blank-label">' in blank
    assert html.split('<div class="own-body">')[1].startswith('<div class="letter-body">\n  <p')


def test_results_taken_as_the_workers_finish_build_what_one_process_builds(tmp_project):
    """With two workers the check and page rounds use each guide's results as they arrive
    (Crew.map, ordered=False): what a build writes must not depend on which worker finished
    first. Three copies of the tiny guide, built at -j 1 and -j 2, give the same files."""
    root = tmp_project(tiny_guide_copies(3))
    built = {}
    for jobs in (1, 2):
        out = root.parent / f"out-j{jobs}"
        build(BuildOptions(project=root, out=out, formats=("html",), jobs=jobs))
        version = (out / "current").resolve()
        built[jobs] = {
            path.relative_to(version).as_posix(): path.read_bytes()
            for path in version.rglob("*")
            if path.is_file() and path.name != "stamp.json"  # the stamp names its out folder
        }
    assert len([p for p in built[2] if p.endswith("/index.html")]) >= 4 * 2
    assert built[1] == built[2]


def test_page_workers_get_the_headings_of_linked_guides_only(tmp_project, monkeypatch):
    """What travels to the page workers holds the cached headings of the guides some page links
    to as related (the other guides' are 17 MB in each worker at 10,000 documents); the related
    link still shows the linked guide's title."""
    from guidegen.commands import build_stages

    root = tmp_project(tiny_guide_copies(3, related={0: "leave-list-1"}))
    sent: list[dict] = []
    real = build_stages.Pages.__getstate__

    def travelling(pages):
        sent.append(dict(pages.labels))
        return real(pages)

    monkeypatch.setattr(build_stages.Pages, "__getstate__", travelling)
    build(BuildOptions(project=root, out=root / "build", formats=("html",), jobs=2))
    assert sent, "the page round went to the workers"
    headings = [[str(part[0]) for part in label] for label in sent[0].values()]
    assert len(headings) == 2 and all(len(h) == 2 for h in headings)  # en and zh-Hans of one
    page = (root / "build/site/zh-Hans/leave-list-0/index.html").read_text()
    assert 'href="../leave-list-1/' in page and headings[1][0] in page
