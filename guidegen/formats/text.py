"""The plain-text edition: <guide>.<locale>.txt, for messaging apps, SMS and text-to-speech."""

from __future__ import annotations

from .base import N_, GuideUnit, OutputFormat, Ready


class TextEdition(OutputFormat):
    """The guide as plain text in the reader's language, letters included."""

    name = family = "txt"
    mime = "text/plain"
    label = N_("Plain text (for messages and reading aloud)")

    def filename(self, guide_id: str, locale: str) -> str:
        return f"{guide_id}.{locale}.txt"

    def prepare(self, unit: GuideUnit) -> Ready:
        from ..pipeline import guide_context

        text = unit.renderer.render("guide.txt", print=True, **guide_context(unit))
        path = self.path(unit.guide_id, unit.code)
        return Ready(path, unit.guide_id, unit.code, self.name, text.encode("utf-8"))
