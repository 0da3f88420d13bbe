"""guidegen docs: write the authors' reference (docs/authoring.md) from the schema module."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

from ..binder import is_required, schema_fields
from ..config import Config, LocaleConfig, Organisation
from ..schema import (
    Blank,
    Contact,
    Deadline,
    Faq,
    Guide,
    Letter,
    Markdown,
    Plain,
    Review,
    Source,
    SourceRef,
    Step,
    Term,
)

SECTIONS = [
    ("Site settings: guidegen.yaml", [Config, LocaleConfig, Organisation]),
    (
        "A guide: content/guides/<id>.yaml",
        [Guide, Step, Deadline, SourceRef, Letter, Blank, Faq, Review],
    ),
    ("Shared content", [Source, Term, Contact]),
]

INTRO = """# Authoring reference

Generated from `guidegen/schema.py` and `guidegen/config.py` by `guidegen docs`: do not edit.

Fields marked *translatable* are extracted into the PO catalogs under `content/locales/` (see
TRANSLATING.md). *Markdown* fields accept a small, safe part of Markdown: paragraphs, lists, bold,
italic, code and links (https, http, mailto, tel, or relative links inside the site); anything else,
such as raw HTML, images or scripts, is removed. Errors are reported as `file:line:column`.
"""


def type_name(tp) -> str:
    """Return how a schema type reads in the reference."""
    origin = typing.get_origin(tp)
    if tp is Markdown:
        return "Markdown text, translatable"
    if tp is Plain:
        return "text, translatable"
    if origin is list:
        return f"list of {type_name(typing.get_args(tp)[0])}"
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{v}`" for v in typing.get_args(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return {str: "text", int: "whole number", float: "number", bool: "true/false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def render_reference() -> str:
    """Return the Markdown reference of every schema class."""
    lines = [INTRO]
    for title, classes in SECTIONS:
        lines.append(f"## {title}\n")
        for cls in classes:
            lines.append(f"### {cls.__name__}\n\n{(cls.__doc__ or '').strip()}\n")
            lines.append("| field | type | required | meaning |\n|---|---|---|---|")
            for f, tp in schema_fields(cls):
                default = (
                    ""
                    if is_required(f)
                    else (
                        f" (default `{f.default}`)" if f.default is not dataclasses.MISSING else ""
                    )
                )
                lines.append(
                    f"| `{f.name}` | {type_name(tp)} | {'yes' if is_required(f) else 'no'} "
                    f"| {f.metadata.get('doc', '')}{default} |"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_reference(path: Path) -> bool:
    """Write the reference to path; return True when its content changed."""
    text = render_reference()
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return True
