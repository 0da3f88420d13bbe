"""What an output format is: the files it makes of a guide in a locale, and how it makes them.

A format is one module (html, pdf, text): it names its file, says what else its key depends on,
and prepares a job that renders the file. Jobs are plain data, so heavy ones (PDFs) can run in
worker processes. The build, bundle, serve and manifest code ask the registry (formats/__init__)
and never name a format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..loader import Project
    from ..localize import LocalizedSite
    from ..render import PageRenderer


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "translate later")
    """Mark an interface string for extraction; it is translated where it is shown."""
    return message


def pgettext_noop(context: str, message: str) -> tuple[str, str]:
    """Mark an interface string with a context for extraction; return (context, message)."""
    return context, message


@dataclass
class Output:
    """One rendered file, with what the manifest says of it."""

    path: str  # relative to the site folder
    guide: str
    locale: str
    format: str
    data: bytes


@dataclass
class Rendered:
    """A rendered file, and what the renderer warned about while making it."""

    data: bytes
    warnings: list[str] = field(default_factory=list)


class Job(Protocol):
    """A file to render: plain data that can be sent to a worker process."""

    path: str
    guide: str
    locale: str
    format: str

    def run(self) -> Rendered: ...


@dataclass
class Ready:
    """A job whose bytes are already made (pages and texts are rendered while preparing)."""

    path: str
    guide: str
    locale: str
    format: str
    data: bytes

    def run(self) -> Rendered:
        return Rendered(self.data)


@dataclass(frozen=True)
class Download:
    """A link from a guide's page to another of its files."""

    href: str
    label: str
    type: str


@dataclass
class GuideUnit:
    """Everything the formats need to render one guide in one locale."""

    project: Project
    site: LocalizedSite
    guide_id: str
    renderer: PageRenderer
    paper: str
    published: dict[str, list[str]]
    downloads: list[Download] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.site.locale.code


class OutputFormat:
    """A kind of file made for every published guide in every locale."""

    name = ""  # the --format name and the manifest's format
    family = ""  # --format may name a family: 'pdf' selects every PDF format
    mime = "application/octet-stream"
    label = ""  # the download link's text (an interface string), "" for no link
    in_worker = False  # True when rendering is heavy enough for a worker process

    def filename(self, guide_id: str, locale: str) -> str:
        """Return the file's name in the guide's folder."""
        raise NotImplementedError

    def path(self, guide_id: str, locale: str) -> str:
        """Return the file's path relative to the site folder."""
        return f"{locale}/{guide_id}/{self.filename(guide_id, locale)}"

    def key_parts(self, paper: str) -> list[str]:
        """Return what the file depends on beyond the guide, its catalogs and the theme."""
        return [self.name]

    def prepare(self, unit: GuideUnit) -> Job:
        """Return the job that renders this format's file for one guide in one locale."""
        raise NotImplementedError
