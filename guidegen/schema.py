"""The content schema, declared once: every field of a guide and of the shared content files.

Each field's `doc` is the authors' reference: `guidegen docs` writes docs/authoring.md from it.
`Plain` and `Markdown` fields are translatable passages; plain `str` fields are identifiers or
original-language text that is never translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NewType

from .problems import Location

Plain = NewType("Plain", str)
Markdown = NewType("Markdown", str)
Url = NewType("Url", str)  # an http(s) address with a plain host (checked where it is read)
Phone = NewType("Phone", str)  # digits, spaces, hyphens, brackets and a leading +

NOWHERE = Location("")


def doc(text: str, default=None, factory=None, shown: str = "", minimum=None, maximum=None):
    """Declare a schema field with its documentation (and a default when it is optional).

    shown says translators where a translatable field appears on the page (PO `#.` comments);
    minimum and maximum bound a number (checked where it is read, with its line).
    """
    metadata = {"doc": text, "shown": shown, "minimum": minimum, "maximum": maximum}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    if default is not None:
        return field(default=default, metadata=metadata)
    return field(metadata=metadata)


def internal_location():
    return field(default=NOWHERE, compare=False, repr=False, metadata={"internal": True})


@dataclass(kw_only=True)
class SourceRef:
    """A citation: a source from content/sources.yaml with an article pinpoint."""

    id: str = doc("Id of the source in content/sources.yaml.")
    pinpoint: Plain = doc(
        "Where in the source, e.g. 'Art. 10' or 'Art. 12, para. 2'.",
        shown=(
            "the article pinpoint printed after the source's title, e.g. “Art. 10”: translate "
            "“Art.”, keep every number"
        ),
    )
    at: Location = internal_location()


@dataclass(kw_only=True)
class Deadline:
    """A time limit, as data: how long, counted from what, who must act, and its legal source."""

    amount: int = doc("How many units, a whole number from 1 to 3650.", minimum=1, maximum=3650)
    unit: Literal["calendar-days", "working-days", "months", "years"] = doc(
        "calendar-days, working-days, months or years. Never guess: the facts sheet says which."
    )
    what: Plain = doc(
        "What must happen within the limit, e.g. 'The court reviews your request'.",
        shown=(
            "the start of the time-limit sentence “WHAT: 3 working days, counted from START. "
            "Who acts: WHO.” (printed in bold)"
        ),
    )
    counted_from: Plain = doc(
        "The event the count starts from, e.g. 'the day the court receives it'.",
        shown=(
            "START in the time-limit sentence “WHAT: 3 working days, counted from START. Who "
            "acts: WHO.”"
        ),
    )
    who_acts: Plain = doc(
        "Who must act: 'you', 'the court', 'the bank' ...",
        shown=(
            "WHO in the time-limit sentence “WHAT: 3 working days, counted from START. Who "
            "acts: WHO.”"
        ),
    )
    source: SourceRef = doc("The legal source of this deadline.")
    at: Location = internal_location()


@dataclass(kw_only=True)
class Step:
    """One numbered step of a guide."""

    id: str = doc(
        "Short stable id (lowercase, hyphens); keeps translations attached when steps move."
    )
    title: Plain = doc(
        "The step as a short instruction, e.g. 'Ask the court to delete the entry'.",
        shown="the step's heading, printed after “Step N:”",
    )
    body: Markdown = doc(
        "What to do and why, in plain words (Markdown).",
        shown="the step's main text",
    )
    where: Markdown = doc(
        "Where and how to do it: office, website, in person or by post.",
        default="",
        shown="the text under the heading “Where and how”",
    )
    documents: list[Plain] = doc(
        "Documents to bring, printed as a checklist.",
        factory=list,
        shown="an item of the “Documents to bring” checklist",
    )
    deadlines: list[Deadline] = doc("Time limits that apply to this step.", factory=list)
    sources: list[SourceRef] = doc("Sources for the rules in this step.", factory=list)
    at: Location = internal_location()


@dataclass(kw_only=True)
class Blank:
    """A fill-in blank of a letter template."""

    id: str = doc("Placeholder name used in the letter body as {id}.")
    label: Plain = doc(
        "What to write there, e.g. 'your full name as on your ID card'.",
        shown="the small label printed under the blank line",
    )
    lines: int = doc("How many ruled lines to print for it.", default=1)
    at: Location = internal_location()


@dataclass(kw_only=True)
class Letter:
    """A letter template with fill-in blanks."""

    id: str = doc("Short stable id.")
    title: Plain = doc(
        "Title of the letter, e.g. 'Request to delete a dishonest-list entry'.",
        shown="the letter's heading",
    )
    purpose: Markdown = doc(
        "When to use this letter and where to send it.",
        shown="the text above the letter: when to use it, where and how to hand it in",
    )
    body: Plain = doc(
        "The letter text. Paragraphs are separated by blank lines; blanks are {id}.",
        shown=(
            "the letter itself, ruled blanks in place of the {placeholders}; a Chinese version "
            "is what readers hand in"
        ),
    )
    blanks: list[Blank] = doc("The blanks used in the body, in order.", factory=list)
    at: Location = internal_location()


@dataclass(kw_only=True)
class Faq:
    """A question and its answer."""

    question: Plain = doc(
        "The question as a reader would ask it.",
        shown="a question, printed as a heading under “Questions and answers”",
    )
    answer: Markdown = doc(
        "The answer, in plain words (Markdown).",
        shown="the answer printed under the question",
    )
    at: Location = internal_location()


@dataclass(kw_only=True)
class Review:
    """Who checked the law in a guide, and when it must be checked again."""

    reviewed: date = doc("Date the legal content was last checked (YYYY-MM-DD). Also the PDF date.")
    review_by: date = doc(
        "Date by which it must be checked again; after it the build warns readers."
    )
    reviewer: str = doc("Who reviewed it (name or role).")
    status: Literal["draft", "reviewed"] = doc("draft or reviewed.")
    notes: list[str] = doc(
        "Notes for reviewers: facts to re-check against official text.", factory=list
    )
    at: Location = internal_location()


@dataclass(kw_only=True)
class Guide:
    """A self-help guide: one file content/guides/<id>.yaml in the source language."""

    id: str = doc("Guide id: lowercase letters, digits and hyphens; equals the file name.")
    jurisdiction: str = doc("Where the law applies, e.g. 'CN' (ISO 3166 code).")
    edition: str = doc("Edition label printed on every page, e.g. '2026.1' (quote it).")
    title: Plain = doc(
        "The guide's title, as a reader would search for it.",
        shown="the guide's title: page heading, PDF title and the entry in the list of guides",
    )
    summary: Markdown = doc(
        "One paragraph: what this guide helps with.",
        shown="the first paragraph, under “What this guide is about”; also in the list of guides",
    )
    audience: Markdown = doc(
        "Who this guide is for.",
        shown="the text under “Who this guide is for”",
    )
    before_you_start: list[Markdown] = doc(
        "Checks to make before starting.",
        factory=list,
        shown="an item of the “Before you start” checklist",
    )
    steps: list[Step] = doc("The ordered steps.", factory=list)
    what_next: Markdown = doc(
        "What happens after the last step.",
        default="",
        shown="the text under “What happens next”",
    )
    if_refused: Markdown = doc(
        "What to do if the answer is no.",
        default="",
        shown="the text under “If the answer is no”",
    )
    letters: list[Letter] = doc("Letter templates.", factory=list)
    faq: list[Faq] = doc("Questions and answers.", factory=list)
    sources: list[SourceRef] = doc("The sources the guide relies on, with pinpoints.", factory=list)
    terms: list[str] = doc("Ids of glossary terms in content/glossary.yaml.", factory=list)
    contacts: list[str] = doc("Ids of contacts in content/contacts.yaml.", factory=list)
    related: list[str] = doc("Ids of related guides.", factory=list)
    review: Review = doc("Review metadata.")
    at: Location = internal_location()


@dataclass(kw_only=True)
class Source:
    """A legal instrument or official website, in content/sources.yaml under its id."""

    title: Plain = doc(
        "English (source-language) name of the instrument.",
        shown="the instrument's name in the list of sources and in every citation",
    )
    original_title: str = doc(
        "Official name in the original language, never translated. Leave it out while the "
        "official title is unconfirmed: nothing is printed then.",
        default="",
    )
    issuer: Plain = doc(
        "Who issued it, and its number, e.g. 'Supreme People's Court, Fa Shi [2017] No. 7'.",
        shown="who issued it and its number, in the list of sources",
    )
    in_force: Plain = doc(
        "When it took effect (and, if so, when it was repealed).",
        shown="the date printed after “Date:” in the list of sources",
    )
    url: Url = doc("Official web address (https:// or http://), if any.", default="")
    at: Location = internal_location()


@dataclass(kw_only=True)
class Term:
    """A glossary term, in content/glossary.yaml under its id."""

    term: Plain = doc(
        "The term in plain words.",
        shown=(
            "the term, in bold under “Words to know”: use this same translation wherever the "
            "guides use the term"
        ),
    )
    original: str = doc(
        "The official original-language term, shown in every locale (leave it out when the "
        "guides are written in the original language).",
        default="",
    )
    definition: Markdown = doc(
        "What it means, in one or two sentences.",
        shown="the definition under the term in “Words to know”",
    )
    at: Location = internal_location()


@dataclass(kw_only=True)
class Contact:
    """A place to get help, in content/contacts.yaml under its id."""

    name: Plain = doc(
        "Name of the office or service.",
        shown="the name of a place to get help, under “Where to get help”",
    )
    original_name: str = doc("Its name in the original language.", default="")
    description: Markdown = doc(
        "What they can do for the reader.",
        shown="what this place can do for the reader, under its name",
    )
    phone: Phone = doc("Phone number, if any.", default="")
    url: Url = doc("Web address (https:// or http://), if any.", default="")
    verify: bool = doc(
        "True while the phone number or address is not confirmed from an official source: it is "
        "printed with a note telling readers to check it before relying on it.",
        default=False,
    )
    at: Location = internal_location()


SHARED_FILES: dict[str, type] = {
    "sources.yaml": Source,
    "glossary.yaml": Term,
    "contacts.yaml": Contact,
}
