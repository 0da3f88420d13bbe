"""Incremental builds: nothing is rendered twice, and exactly what changed is rendered again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidegen.cache import PACKAGE_DIR
from guidegen.commands.build import BuildOptions, build

PO = "content/locales/zh-Hans/guides/leave-list.po"


def _build(root, **options):
    return build(BuildOptions(project=root, out=root / "build", jobs=1, **options))


def test_no_op_build_renders_nothing(tmp_project):
    root = tmp_project()
    first = _build(root)
    assert len(first.written) == 13  # 3 site pages, 2 assets, and 4 files of the guide in 2 locales
    second = _build(root)
    assert second.written == [] and second.removed == []
    assert sorted(second.up_to_date) == sorted(first.written)


GUIDE_OUTPUTS = [
    "zh-Hans/leave-list/index.html",
    "zh-Hans/leave-list/leave-list.zh-Hans.large.pdf",
    "zh-Hans/leave-list/leave-list.zh-Hans.pdf",
    "zh-Hans/leave-list/leave-list.zh-Hans.txt",
]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        # the title shows on the locale's index too
        ('msgstr "退出名单"', 'msgstr "离开名单"', ["zh-Hans/index.html", *GUIDE_OUTPUTS]),
        # a step shows only in the guide itself
        ('msgstr "向法院提出申请"', 'msgstr "向执行法院提出申请"', GUIDE_OUTPUTS),
    ],
    ids=["title", "step"],
)
def test_one_translation_edit_rerenders_exactly_what_shows_it(tmp_project, old, new, expected):
    root = tmp_project()
    _build(root)
    po = root / PO
    po.write_text(po.read_text().replace(old, new))
    assert sorted(_build(root).written) == expected


def test_changed_template_rerenders_everything_that_uses_it(tmp_project):
    root = tmp_project()
    _build(root)
    template = root / "templates" / "pdf.css"
    template.parent.mkdir(exist_ok=True)
    from guidegen.render import BUILTIN_TEMPLATES

    template.write_text((BUILTIN_TEMPLATES / "pdf.css").read_text() + "\nh1 { color: #000; }\n")
    result = _build(root)
    assert len(result.written) == 13 and result.up_to_date == []


def test_deleted_guide_outputs_are_removed(tmp_project):
    root = tmp_project()
    _build(root)
    (root / "content/guides/leave-list.yaml").unlink()
    result = _build(root)
    assert sorted(result.removed) == sorted(
        f"{code}/leave-list/{name}"
        for code in ("en", "zh-Hans")
        for name in (
            "index.html",
            f"leave-list.{code}.pdf",
            f"leave-list.{code}.large.pdf",
            f"leave-list.{code}.txt",
        )
    )
    assert not (root / "build/site/en/leave-list").exists()
    manifest = json.loads((root / "build/manifest.json").read_text())["files"]
    assert all("leave-list/" not in row["path"] for row in manifest)


def test_force_rebuilds_everything(tmp_project):
    root = tmp_project()
    _build(root, formats="html")
    assert len(_build(root, formats="html", force=True).written) == 7


def test_shards_split_guides_and_together_cover_the_site(tmp_project):
    root = tmp_project()
    guide = (root / "content/guides/leave-list.yaml").read_text()
    (root / "content/guides/other-guide.yaml").write_text(
        guide.replace("id: leave-list", "id: other-guide")
    )
    one = build(BuildOptions(project=root, out=root / "shard1", formats="html", shard=(1, 2)))
    two = build(BuildOptions(project=root, out=root / "shard2", formats="html", shard=(2, 2)))
    guides_one = {p.split("/")[1] for p in one.written if p.count("/") == 2}
    guides_two = {p.split("/")[1] for p in two.written if p.count("/") == 2}
    assert guides_one and guides_two and not guides_one & guides_two
    assert "index.html" in one.written and "index.html" not in two.written
    whole = build(BuildOptions(project=root, out=root / "whole", formats="html"))
    from guidegen.output import merge_manifests, read_manifest

    merged = merge_manifests([root / "shard1/manifest.json", root / "shard2/manifest.json"])
    assert merged == read_manifest(root / "whole") and len(merged) == len(whole.written)


def test_check_and_no_op_build_never_import_weasyprint(tmp_project):
    root = tmp_project()
    _build(root)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from guidegen.commands.check import check\n"
        "from guidegen.commands.build import BuildOptions, build\n"
        f"root = Path({str(root)!r})\n"
        "check(root)\n"
        "result = build(BuildOptions(project=root, out=root / 'build', jobs=1))\n"
        "assert result.written == [], result.written\n"
        "print('weasyprint' in sys.modules)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"GUIDEGEN_TODAY": "2026-11-25", "PATH": ""},
    )
    assert output.stdout.strip() == "False"


def test_a_rebuild_reports_what_the_guide_checks_found_and_a_new_day_checks_again(
    tmp_project, monkeypatch
):
    """Guide checks are replayed from the cache on a rebuild, and run again on another date."""
    root = tmp_project()
    monkeypatch.setenv("GUIDEGEN_TODAY", "2027-06-01")  # past the tiny guide's review_by
    first = [p.message for p in _build(root, formats=("html",)).report.warnings]
    assert any("review date passed" in message for message in first)
    second = [p.message for p in _build(root, formats=("html",)).report.warnings]
    assert second == first  # replayed, not lost
    monkeypatch.setenv("GUIDEGEN_TODAY", "2020-01-01")
    third = [p.message for p in _build(root, formats=("html",)).report.warnings]
    assert not any("review date passed" in message for message in third)


FULL = "load and validate"  # the first stage of a build that does not stop at the stamp


def test_a_repeated_build_stops_at_the_stamp_and_says_what_the_full_build_says(
    tmp_project, monkeypatch
):
    root = tmp_project()
    monkeypatch.setenv("GUIDEGEN_TODAY", "2027-06-01")  # past review_by: the build warns
    first = _build(root, formats="html")
    warned = [str(p) for p in first.report.warnings]
    assert any("review date passed" in w for w in warned)
    fast = _build(root, formats="html")
    assert FULL not in fast.stages and fast.written == []
    assert sorted(fast.up_to_date) == sorted(first.written)
    assert [str(p) for p in fast.report.warnings] == warned
    (root / "build/current/stamp.json").unlink()
    full = _build(root, formats="html")  # the same answer the long way, which stamps again
    assert FULL in full.stages and full.written == []
    assert sorted(full.up_to_date) == sorted(fast.up_to_date)
    assert [str(p) for p in full.report.warnings] == warned
    assert FULL not in _build(root, formats="html").stages


def test_a_repeated_build_loads_no_renderer(tmp_project):
    """Stopping at the stamp needs the fingerprint only: the renderers (Jinja, Markdown, PyYAML,
    Babel, WeasyPrint and guidegen's stages) are not even imported, in a fresh process."""
    root = tmp_project()
    first = _build(root, formats="html")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from guidegen.commands.build import BuildOptions, build\n"
        f"root = Path({str(root)!r})\n"
        "result = build(BuildOptions(project=root, out=root / 'build', formats='html', jobs=1))\n"
        "heavy = ['jinja2', 'markdown', 'yaml', 'babel', 'weasyprint', 'guidegen.render',\n"
        "         'guidegen.loader', 'guidegen.commands.build_stages']\n"
        "print(len(result.up_to_date), sorted(set(heavy) & set(sys.modules)))\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == f"{len(first.written)} []\n"


def test_a_repeated_build_reads_no_input_whose_size_and_times_are_unchanged(
    tmp_project, monkeypatch
):
    """The stamp keeps each quiet input's size, times and hash: the next build hashes only
    what changed (here nothing), without reading the catalogs and guides again."""
    monkeypatch.setattr("guidegen.cache.QUIET_NS", 0)  # the fixture's files were just written
    root = tmp_project()
    _build(root, formats="html")
    _assert_up_to_date_reading_no_input(root, monkeypatch)


def test_a_build_that_finds_nothing_to_do_keeps_the_hashes_of_inputs_left_alone_since(
    tmp_project, monkeypatch
):
    """Inputs written just before a build looked (a checkout, a copy) keep no hash in its stamp;
    the next build, finding nothing to do, hashes them again and leaves them in the stamp once
    they have been left alone long enough: the build after it reads none. Fails without that."""
    monkeypatch.setattr("guidegen.cache.QUIET_NS", 10**18)  # every input was just written
    root = tmp_project()
    _build(root, formats="html")
    stamp = root / "build/current/stamp.json"
    assert str(root / PO) not in json.loads(stamp.read_text())["files"]
    monkeypatch.setattr("guidegen.cache.QUIET_NS", 0)  # ... and has been left alone since
    assert not _build(root, formats="html").written
    assert str(root / PO) in json.loads(stamp.read_text())["files"]
    _assert_up_to_date_reading_no_input(root, monkeypatch)


def _assert_up_to_date_reading_no_input(root, monkeypatch):
    """Build again and check that it stopped at the stamp without reading any project file."""
    read: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    again = _build(root, formats="html")
    assert FULL not in again.stages and again.up_to_date
    assert [p for p in read if root in p.parents] == []


def test_an_input_rewritten_with_its_old_size_and_modification_time_is_read_again(
    tmp_project, monkeypatch
):
    """Its change time tells: a tool may put a file's modification time back, nothing can put
    back the time the kernel records for the change."""
    import os

    monkeypatch.setattr("guidegen.cache.QUIET_NS", 0)
    root = tmp_project()
    _build(root, formats="html")
    po = root / PO
    before = po.stat()
    text = po.read_text().replace('msgstr "向法院提出申请"', 'msgstr "向法院提交申请"')
    po.write_bytes(text.encode("utf-8"))
    os.utime(po, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (po.stat().st_size, po.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _build(root, formats="html").written == ["zh-Hans/leave-list/index.html"]


def test_the_stamp_keeps_no_hash_of_a_file_changed_just_before_the_build_looked(tmp_project):
    """A file written within QUIET_NS of the look (the fixture's, here) could change again in
    the same tick of the filesystem's clock and keep its times: its hash is not kept."""
    root = tmp_project()
    _build(root, formats="html")
    kept = json.loads((root / "build/current/stamp.json").read_text())["files"]
    assert str(root / PO) not in kept and str(root / "guidegen.yaml") not in kept
    assert any(Path(name).is_relative_to(PACKAGE_DIR) for name in kept)  # guidegen's own


def _site_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_makes_its_version_from_the_spare_keeping_nothing_the_current_lacks(
    tmp_project,
):
    """The version published before the current one stays as the spare; the next build relinks
    it to the current files: what only the spare held, or held changed, and its own files (a
    stamp, a cache) go; unchanged files stay hard links to the published ones."""
    root = tmp_project()
    out, versions = root / "build", root / "build/.versions"
    _build(root, formats="html")
    first = (out / "current").resolve()
    _edit_catalog(root)
    _build(root, formats="html")
    second = (out / "current").resolve()
    assert sorted(versions.iterdir()) == sorted([first, second])  # the first is the spare
    (first / "site/en/only-in-the-spare.html").write_text("stale")
    tampered = first / "site/en/leave-list/index.html"
    tampered.unlink()
    tampered.write_text("tampered")
    (first / "leftover.json").write_text("{}")
    po = root / PO
    po.write_text(po.read_text().replace('msgstr "离开名单"', 'msgstr "退出名单"'))
    third = _build(root, formats="html")
    assert sorted(third.written) == ["zh-Hans/index.html", "zh-Hans/leave-list/index.html"]
    published = (out / "current").resolve()
    assert sorted(versions.iterdir()) == sorted([second, published])
    assert not (published / "leftover.json").exists()
    fresh = build(BuildOptions(project=root, out=root / "fresh", jobs=1, formats="html"))
    assert fresh.written
    assert _site_files(published / "site") == _site_files(root / "fresh/site")
    page = "en/leave-list/index.html"
    assert (published / "site" / page).stat().st_ino == (second / "site" / page).stat().st_ino


def test_a_first_build_leaves_a_spare_that_the_first_rebuild_makes_its_version_from(
    tmp_project,
):
    """A first build has no version before it to keep: it leaves a hard-link copy of its site as
    the spare, and the first rebuild turns that folder into its version (linking every page into
    a new tree took a sixth of a one-edit rebuild at 1,000 pages). Fails without the spare: the
    rebuild's version is then a new folder."""
    root = tmp_project()
    out, versions = root / "build", root / "build/.versions"
    _build(root, formats="html")
    first = (out / "current").resolve()
    (spare,) = [v for v in versions.iterdir() if v != first]
    assert sorted(p.name for p in spare.iterdir()) == ["site"]
    page = "zh-Hans/leave-list/index.html"
    assert (spare / "site" / page).stat().st_ino == (first / "site" / page).stat().st_ino
    assert _site_files(spare / "site") == _site_files(first / "site")
    folder = spare.stat().st_ino
    _edit_catalog(root)
    second = _build(root, formats="html")
    assert sorted(second.written) == ["zh-Hans/index.html", "zh-Hans/leave-list/index.html"]
    published = (out / "current").resolve()
    assert published.stat().st_ino == folder, "the rebuild's version is the spare, renamed"
    assert sorted(versions.iterdir()) == sorted([first, published])  # the first is now the spare
    assert (first / "site" / page).read_bytes() != (published / "site" / page).read_bytes()
    unchanged = "en/leave-list/index.html"
    assert (published / "site" / unchanged).stat().st_ino == (
        first / "site" / unchanged
    ).stat().st_ino


def test_links_planted_in_the_spare_are_removed_never_followed(tmp_project, tmp_path):
    """A link in the spare's site, to a file or in place of a folder, is removed as a link: what
    it leads to outside the output folder is left as it was, and nothing published is a link."""
    root = tmp_project()
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "victim.txt").write_text("keep")
    (outside / "folder/inside.txt").write_text("keep too")
    _build(root, formats="html")
    first = (root / "build/current").resolve()
    _edit_catalog(root)
    _build(root, formats="html")
    (first / "site/en/planted.html").symlink_to(outside / "victim.txt")
    (first / "site/index.html").unlink()
    (first / "site/index.html").symlink_to(outside / "victim.txt")
    shutil.rmtree(first / "site/zh-Hans")
    (first / "site/zh-Hans").symlink_to(outside / "folder", target_is_directory=True)
    (first / "site-link").symlink_to(outside, target_is_directory=True)
    po = root / PO
    po.write_text(po.read_text().replace('msgstr "离开名单"', 'msgstr "退出名单"'))
    _build(root, formats="html")
    assert (outside / "victim.txt").read_text() == "keep"
    assert sorted(p.name for p in outside.rglob("*")) == ["folder", "inside.txt", "victim.txt"]
    published = (root / "build/current").resolve()
    assert not [p for p in published.rglob("*") if p.is_symlink()]
    fresh = build(BuildOptions(project=root, out=root / "fresh", jobs=1, formats="html"))
    assert fresh.written
    assert _site_files(published / "site") == _site_files(root / "fresh/site")


def _touch_content(root):
    (root / "content/notes.txt").write_text("not read by guidegen, but inside content/")


def _edit_catalog(root):
    po = root / PO
    po.write_text(po.read_text().replace('msgstr "退出名单"', 'msgstr "离开名单"'))


def _delete_output(root):
    (root / "build/site/zh-Hans/leave-list/index.html").unlink()


def _corrupt_stamp(root):
    (root / "build/current/stamp.json").write_text('{"format": 1, "fingerprint": [')


@pytest.mark.parametrize(
    "change,options,rendered",
    [
        (_touch_content, {}, []),
        (_edit_catalog, {}, ["zh-Hans/index.html", "zh-Hans/leave-list/index.html"]),
        (_delete_output, {}, ["zh-Hans/leave-list/index.html"]),
        (_corrupt_stamp, {}, []),
        (None, {"locales": ("en",)}, []),
        (None, {"strict": True}, []),
        (None, {"force": True}, None),
    ],
    ids=["new-file", "edit", "deleted-output", "bad-stamp", "locale", "strict", "force"],
)
def test_any_change_to_inputs_outputs_or_options_takes_the_full_build(
    tmp_project, change, options, rendered
):
    root = tmp_project()
    first = _build(root, formats="html")
    if change is not None:
        change(root)
    result = _build(root, formats="html", **options)
    assert FULL in result.stages
    assert sorted(result.written) == (sorted(first.written) if rendered is None else rendered)


def test_another_day_takes_the_full_build(tmp_project, monkeypatch):
    root = tmp_project()
    _build(root, formats="html")
    monkeypatch.setenv("GUIDEGEN_TODAY", "2027-06-01")
    result = _build(root, formats="html")
    assert FULL in result.stages and "en/leave-list/index.html" in result.written  # now stale
    page = (root / "build/site/en/leave-list/index.html").read_text()
    assert "This guide may be out of date." in page


def test_a_link_among_the_inputs_always_takes_the_full_build(tmp_project):
    """What a link leads to can change without the link changing: it is never fingerprinted."""
    root = tmp_project()
    (root / "content/linked.yaml").symlink_to(root / "content/guides/leave-list.yaml")
    _build(root, formats="html")
    assert FULL in _build(root, formats="html").stages
    assert not (root / "build/current/stamp.json").exists()


def test_a_fifo_among_the_inputs_is_never_read_and_takes_the_full_build(tmp_project):
    """A named pipe in content/ would block a reader for ever: the fingerprint looks, not reads."""
    import os

    from guidegen.cache import Hasher
    from guidegen.stamp import input_fingerprint

    root = tmp_project()
    _build(root, formats="html")
    os.mkfifo(root / "content/pipe.yaml")
    assert input_fingerprint(root, {}, Hasher()) is None
    assert FULL in _build(root, formats="html").stages


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_edited_letter_in_the_original_language_rerenders_every_locale_that_hands_it_in(
    tmp_project, jobs
):
    root = tmp_project()
    _build(root, formats=("html", "txt"))
    po = root / PO
    po.write_text(po.read_text().replace('msgstr "删除申请书"', 'msgstr "删除失信信息申请书"'))
    rebuilt = build(
        BuildOptions(project=root, out=root / "build", jobs=jobs, formats=("html", "txt"))
    )
    assert sorted(rebuilt.written) == [
        "en/leave-list/index.html",
        "en/leave-list/leave-list.en.txt",
        "zh-Hans/leave-list/index.html",
        "zh-Hans/leave-list/leave-list.zh-Hans.txt",
    ]
    assert "删除失信信息申请书" in (root / "build/site/en/leave-list/index.html").read_text()
