"""The benchmark's output: one Markdown table per section, and the same numbers as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Table:
    """One section's table; each column has a kind that says how its numbers are shown."""

    title: str
    columns: list[tuple[str, str]]  # (heading, kind): see format_cell
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        """Append a row (one cell per column; None shows as a dash)."""
        self.rows.append(list(cells))

    def markdown(self) -> str:
        """Return the table as Markdown, with its title above and its notes below."""
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(name for name, _ in self.columns) + " |")
        lines.append(
            "|" + "|".join("---" if kind == "text" else "---:" for _, kind in self.columns) + "|"
        )
        for row in self.rows:
            cells = [
                format_cell(value, kind) for value, (_, kind) in zip(row, self.columns, strict=True)
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines += [""] + [f"- {note}" for note in self.notes] if self.notes else []
        return "\n".join(lines) + "\n"


def format_cell(value: Any, kind: str) -> str:
    """Return a cell as shown: seconds, ratio, MB, count, rate, percent, milliseconds or text."""
    if value is None:
        return "—"
    if kind == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if kind == "x":
        return f"{value:.2f}×"
    if kind == "mb":
        return f"{value:.0f} MB"
    if kind == "n":
        return f"{value:,}"
    if kind == "rate":
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    if kind == "%":
        return f"{value:.1f} %"
    if kind == "ms":
        return f"{value * 1000:.3f} ms" if value < 0.001 else f"{value * 1000:.1f} ms"
    if kind == "kb":
        return f"{value / 1024:.0f} KB"
    return str(value).replace("|", "\\|")  # a | would end the cell


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """Return numerator / denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def write_json(path: Path, meta: dict, tables: list[Table], raw: dict) -> None:
    """Write the run's metadata, every table (raw numbers) and the raw measurements as JSON."""
    data = {"meta": meta, "tables": [asdict(table) for table in tables], "raw": raw}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")
