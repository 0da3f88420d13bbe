"""Extract the interface strings of the templates (and of guidegen's code) with Babel."""

from __future__ import annotations

from pathlib import Path

from .po import Message, python_format_directives

PACKAGE_DIR = Path(__file__).resolve().parent
COMMENT_TAGS = ("Translators:",)


def extract_ui_strings(template_dirs: list[Path], project_root: Path) -> list[Message]:
    """Return each interface string once, with its `#:` references and `#.` translator notes.

    Templates come first in lookup order (a project's override wins); a note is written in the
    template as {# Translators: ... #} right before the string.
    """
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    found: dict[tuple[str | None, str], Message] = {}
    sources = [(folder, [("**.html", "jinja2.ext:babel_extract")]) for folder in template_dirs]
    sources.append((PACKAGE_DIR, [("**.py", "python")]))
    for folder, method_map in sources:
        for name, line, text, comments, context in extract_from_dir(
            str(folder),
            method_map=method_map,
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={**DEFAULT_KEYWORDS, "pgettext_noop": ((1, "c"), 2)},
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            singular, plural = (text, None) if isinstance(text, str) else (text[0], text[1])
            key = (context, singular)
            reference = f"{_where(folder, project_root)}{name}:{line}"
            if key in found:
                if reference not in found[key].references:
                    found[key].references.append(reference)
                continue
            directives, _ = python_format_directives(singular)
            found[key] = Message(
                singular,
                context=context,
                plural_id=plural,
                flags=["python-format"] if directives else [],
                auto_comments=[c.strip() for c in comments],
                references=[reference],
            )
    return list(found.values())


def _where(folder: Path, project_root: Path) -> str:
    """Return how a reference names its folder: relative to the project, or the theme's name."""
    try:
        return folder.resolve().relative_to(project_root.resolve()).as_posix() + "/"
    except ValueError:
        return "guidegen:" if folder.resolve() == PACKAGE_DIR else "theme:"
