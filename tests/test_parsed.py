"""YAML files kept from the last build: a rebuild binds unchanged files without parsing them, and
says and makes exactly what parsing them would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from guidegen.commands.build import BuildOptions, build
from guidegen.loader import guide_files, load_project
from guidegen.parsed import PARSED, ParsedFiles
from guidegen.problems import Report
from guidegen.yamlsafe import load_yaml

from .conftest import REPO


def _yaml_files(root: Path) -> list[Path]:
    shared = [root / "content" / n for n in ("sources.yaml", "glossary.yaml", "contacts.yaml")]
    return [*shared, *guide_files(root)]


def test_every_bundled_file_comes_back_as_parsing_gives_it(tmp_path):
    """Values (dates included) and every place asked for while binding, through parsed.json."""
    first = ParsedFiles("code")
    project = load_project(REPO, Report(REPO), parsed=first)
    assert project is not None and len(first.used) == len(_yaml_files(REPO))
    first.save(tmp_path)
    again = ParsedFiles.load(tmp_path, "code")
    for path in _yaml_files(REPO):
        parsed = load_yaml(path, Report(REPO))
        known = again.load_yaml(path, Report(REPO))
        assert parsed is not None and known is not None
        assert known.locate is not None  # answered from the file, not parsed
        assert known.value == parsed.value
        assert known.answers
        for (place, key), at in known.answers.items():
            assert at == parsed.where(place, key), (path.name, place, key)


def test_a_place_not_asked_for_before_is_found_by_parsing_the_file_again(tmp_path):
    first = ParsedFiles("code")
    path = REPO / "content/guides/legal-aid.yaml"
    assert first.load_yaml(path, Report(REPO)) is not None
    first.save(tmp_path)
    known = ParsedFiles.load(tmp_path, "code").load_yaml(path, Report(REPO))
    parsed = load_yaml(path, Report(REPO))
    assert known is not None and parsed is not None and known.answers == {}
    place = ("steps", 1, "title")
    assert known.where(place) == parsed.where(place) and known.where(place).line > 1
    assert known.locate is None


def test_a_loaded_project_sets_its_places_aside_and_finds_them_again(tmp_path):
    """Once bound, a file forgets where each of its nodes stands (most of a loaded guide's
    memory) but for the top-level keys and what was asked for; any other place is found by
    parsing the file again, at the same line and column."""
    project = load_project(REPO, Report(REPO))
    assert project is not None
    assert all(not d.values_at and not d.keys_at for d in project.shared_docs.values())
    doc = project.docs["legal-aid"]
    assert doc.values_at == {} and doc.keys_at == {} and doc.locate is not None
    full = load_yaml(REPO / "content/guides/legal-aid.yaml", Report(REPO))
    assert full is not None
    places = [(path, False) for path in full.values_at] + [(path, True) for path in full.keys_at]
    before = {(path, key): full.where(path, key) for path, key in places}
    assert doc.where(("summary",)) == before[(("summary",), False)]
    assert doc.where(("no_such_key",)) == before[((), False)]  # as the whole table answers
    assert doc.locate is not None, "a top-level place is answered without parsing again"
    assert {(path, key): doc.where(path, key) for path, key in places} == before
    assert doc.locate is None  # parsed once more, for the deeper places


def test_each_file_sets_its_places_aside_before_the_next_is_parsed(monkeypatch):
    """The places of every node of every file are never held at once: with them, the build
    process held 441 MB at 10,000 documents when it forked its workers, without them 254 MB
    (and the workers copy most of what they inherit)."""
    from guidegen import loader
    from guidegen.yamlsafe import YamlDoc

    events: list[tuple[str, str]] = []
    real_load, real_aside = loader.load_yaml, YamlDoc.set_aside_places

    def load(path, report, *args, **kwargs):
        events.append(("parse", report.relative(path)))
        return real_load(path, report, *args, **kwargs)

    monkeypatch.setattr(loader, "load_yaml", load)
    monkeypatch.setattr(
        YamlDoc,
        "set_aside_places",
        lambda doc, locate: (events.append(("aside", doc.file)), real_aside(doc, locate)),
    )
    assert load_project(REPO, Report(REPO)) is not None
    files = [Report(REPO).relative(p) for p in _yaml_files(REPO)]
    assert events == [(step, f) for f in files for step in ("parse", "aside")]


def test_a_cold_build_never_parses_a_file_again_for_its_places(tmp_path, monkeypatch):
    """What the checks after loading place (readability: a section's key) is kept: were it not,
    each guide would be parsed twice."""
    from guidegen import loader
    from guidegen.yamlsafe import YamlDoc

    again: list[Path] = []
    set_aside: list[str] = []
    real = YamlDoc.set_aside_places
    monkeypatch.setattr(loader, "parse_again", lambda path, root: again.append(path))
    monkeypatch.setattr(
        YamlDoc,
        "set_aside_places",
        lambda doc, locate: (set_aside.append(doc.file), real(doc, locate)),
    )
    root = _project(tmp_path)
    build(BuildOptions(project=root, out=tmp_path / "out", formats=("html",)))
    assert sorted(set_aside) == sorted(p.relative_to(root).as_posix() for p in _yaml_files(root))
    assert again == []


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "guidegen.yaml", root)
    return root


def _site(out: Path) -> dict[str, bytes]:
    site = out / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_after_editing_a_guide_makes_what_a_cold_build_makes(tmp_path):
    root = _project(tmp_path)
    out = root / "build"
    build(BuildOptions(project=root, out=out, formats="html", jobs=1))
    assert (out / "current" / PARSED).is_file()
    guide = root / "content/guides/legal-aid.yaml"
    guide.write_text(guide.read_text().replace("legal aid", "free legal help", 1))
    rebuilt = build(BuildOptions(project=root, out=out, formats="html", jobs=1))
    assert "en/legal-aid/index.html" in rebuilt.written
    cold = build(BuildOptions(project=root, out=tmp_path / "cold", formats="html", jobs=1))
    assert _site(out) == _site(tmp_path / "cold")
    assert [str(p) for p in rebuilt.report.problems] == [str(p) for p in cold.report.problems]


def test_a_problem_in_a_known_file_is_placed_at_its_line(tmp_path):
    """An edit elsewhere makes the build bind every guide again: a warning found then in an
    unchanged guide (here: a letter blank it declares but never uses) names its real line."""
    root = _project(tmp_path)
    guide = root / "content/guides/dishonest-list-removal.yaml"
    text = guide.read_text()
    assert "    blanks:\n" in text
    guide.write_text(
        text.replace("    blanks:\n", "    blanks:\n      - {id: never_used, label: x}\n", 1)
    )
    out = root / "build"
    first = build(BuildOptions(project=root, out=out, formats="html", jobs=1))
    warned = [str(p) for p in first.report.warnings if "never_used" in p.message]
    assert len(warned) == 1 and ":1:" not in warned[0]
    other = root / "content/guides/legal-aid.yaml"
    other.write_text(other.read_text().replace("legal aid", "free legal help", 1))
    (out / "current/cache.json").unlink()  # the checks run again, on the kept values
    second = build(BuildOptions(project=root, out=out, formats="html", jobs=1))
    assert [str(p) for p in second.report.warnings if "never_used" in p.message] == warned


def test_a_broken_or_foreign_parsed_file_is_not_used(tmp_path):
    root = _project(tmp_path)
    out = root / "build"
    build(BuildOptions(project=root, out=out, formats="html", jobs=1))
    kept = out / "current" / PARSED
    data = json.loads(kept.read_text())
    assert ParsedFiles.load(out / "current", data["code"]).known
    assert not ParsedFiles.load(out / "current", "other code").known
    for key in data["files"]:
        data["files"][key] = {"value": {"id": "forged"}, "places": "not places"}
    kept.write_text(json.dumps(data))
    guide = root / "content/guides/legal-aid.yaml"
    guide.write_text(guide.read_text() + "\n")  # not the stamp's inputs: the build loads again
    build(BuildOptions(project=root, out=out, formats="html", jobs=1))
    build(BuildOptions(project=root, out=tmp_path / "cold", formats="html", jobs=1))
    assert _site(out) == _site(tmp_path / "cold")
