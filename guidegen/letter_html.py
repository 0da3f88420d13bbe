"""The HTML of a letter's body: its paragraphs, field rows and ruled blanks to fill in.

Written in Python rather than as template macros: a letter is made of many small pieces (a
guide's pages in five languages hold some 50,000 blanks and text runs), and a macro call for each
cost a quarter of the time spent rendering pages. The theme's `letter_body` macro calls this;
a project's own `_macros.html` may still lay letters out its own way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from . import letters
from .passages import Passage

if TYPE_CHECKING:
    from .render import PageRenderer
    from .schema import Blank, Letter


def letter_body(
    renderer: PageRenderer, letter: Letter, labels: dict[str, Blank], lang: str, fields: bool
) -> Markup:
    """Return a letter's body as shown in language lang: a paragraph per block of text, with
    each {placeholder} a ruled blank labelled in the reader's language (with fields, a form
    field the PDF makes fillable); labels maps each placeholder to its Blank."""
    paragraphs = letters.paragraphs(str(letter.body), {k: b.lines for k, b in labels.items()})
    out = ['<div class="letter-body">\n']
    last = len(paragraphs) - 1
    for index, paragraph in enumerate(paragraphs):
        pieces: list[str] = []
        for kind, value in paragraph.pieces:
            if kind == "text":
                if not paragraph.fields:
                    pieces.append(renderer.marked(value, lang))
                elif value.strip():
                    pieces.append(f'<span class="piece">{renderer.marked(value, lang)}</span>')
            else:
                name = f"{letter.id}-{value}"
                pieces.append(blank(renderer, labels[value], name, fields, lang))
        out.append(f"  <p{_paragraph_class(paragraph, index == last)}>{''.join(pieces)}</p>\n")
    out.append("</div>\n")
    return Markup("".join(out))


def _paragraph_class(paragraph: letters.Paragraph, last: bool) -> str:
    if paragraph.fields:
        two = " two" if paragraph.blanks > 1 else ""
        return f' class="field-row{two}{" last" if last else ""}"'
    if paragraph.keep or last:
        return f' class="{"keep" if paragraph.keep else ""}{" last" if last else ""}"'
    return ""


def blank(renderer: PageRenderer, spec: Blank, name: str, fields: bool, lang: str) -> str:
    """Return one blank: its ruled line(s) (or form field) and its label under them."""
    label, lines = spec.label, spec.lines
    title = escape(label)
    name = escape(name)
    if fields and lines == 1:
        rules = f'<input class="blank-field blank-rule" type="text" name="{name}" title="{title}">'
    else:
        rules = '<span class="blank-rule"></span>' * lines
        if fields:
            rules += (
                f'<textarea class="blank-field" name="{name}" title="{title}" rows="{lines}">'
                "</textarea>"
            )
    attrs = ""
    if isinstance(label, Passage) and label.lang != lang:  # a fallback label, or the reader's
        attrs = f' lang="{escape(label.lang)}" dir="{escape(label.dir)}"'
    multi = " multi" if lines > 1 else ""
    return (
        f'<span class="blank{multi}"><span class="blank-lines">{rules}</span>'
        f'<span class="blank-label"{attrs}>{renderer.inline(label)}</span></span>'
    )
