"""Problems found in the input, reported together like a compiler's diagnostics."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in an input file: path relative to the project, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning about the input."""

    location: Location
    severity: str  # "error", "warning" or "note"
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {self.severity}: {self.message}{hint}"


@dataclass
class Report:
    """Every problem found in one run, sorted by file and line when read."""

    root: Path = field(default_factory=Path.cwd)
    _items: list[Problem] = field(default_factory=list)

    def relative(self, path: Path | str) -> str:
        """Return path relative to the project root, for messages."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, location: Location, severity: str, message: str, hint: str = "") -> None:
        """Record a problem."""
        self._items.append(Problem(location, severity, message, hint))

    def error(self, location: Location, message: str, hint: str = "") -> None:
        """Record an error."""
        self.add(location, "error", message, hint)

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.add(location, "warning", message, hint)

    def note(self, location: Location, message: str, hint: str = "") -> None:
        """Record a note for reviewers: shown by check, never a failure."""
        self.add(location, "note", message, hint)

    def mark(self) -> int:
        """Return a mark for take_since: how many problems were recorded so far."""
        return len(self._items)

    def take_since(self, mark: int) -> list[Problem]:
        """Remove and return the problems recorded after mark (to hand them to another report)."""
        taken = self._items[mark:]
        del self._items[mark:]
        return taken

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere (by a worker process)."""
        self._items.extend(problems)

    @property
    def problems(self) -> list[Problem]:
        """Return the problems sorted by file, line and column, without repeats."""
        return sorted(set(self._items))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    def failed(self, strict: bool = False) -> bool:
        """Return True when the run must fail: errors, or warnings under --strict."""
        return bool(self.errors or (strict and self.warnings))

    def as_text(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def as_json(self) -> str:
        rows = []
        for p in self.problems:
            row = asdict(p)
            row.update(row.pop("location"))
            rows.append(row)
        return json.dumps({"problems": rows}, ensure_ascii=False, indent=2)
