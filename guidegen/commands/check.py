"""guidegen check: validate everything without rendering PDFs."""

from __future__ import annotations

import os
from pathlib import Path

from ..collector import fewer_collections
from ..loader import load_project
from ..problems import Report
from ..validate import validate


def check(project_dir: Path) -> Report:
    """Return every problem in the project: content, references, review dates and translations."""
    report = Report(project_dir.resolve())
    with fewer_collections():
        project = load_project(project_dir, report)
        if project is None:
            return report
        validate(project, report, jobs=os.cpu_count() or 1)
    review_notes(project, report)
    return report


def review_notes(project, report: Report) -> None:
    """Show each guide's reviewer notes ([S] facts to re-check) as notes."""
    for guide in project.guides.values():
        for text in guide.review.notes:
            report.note(guide.review.at, f"{guide.id}: reviewer note: {text}")
