"""The guide's web page: <locale>/<guide>/index.html."""

from __future__ import annotations

from .base import GuideUnit, OutputFormat, Ready

LONG_GUIDE_STEPS = 4  # a table of contents from this many steps (or any letter) on


class HtmlPage(OutputFormat):
    """The page a reader opens on a phone: no JavaScript, every part language-tagged."""

    name = family = "html"
    mime = "text/html"

    def filename(self, guide_id: str, locale: str) -> str:
        return "index.html"

    def prepare(self, unit: GuideUnit) -> Ready:
        from ..pipeline import guide_context, other_translations, related_guides

        guide = unit.site.guides[unit.guide_id]
        html = unit.renderer.render(
            "guide.html",
            root="../../",
            print=False,
            downloads=unit.downloads,
            related=related_guides(unit),
            translations=other_translations(unit),
            toc=len(guide.steps) >= LONG_GUIDE_STEPS or bool(guide.letters),
            **guide_context(unit),
        )
        path = self.path(unit.guide_id, unit.code)
        return Ready(path, unit.guide_id, unit.code, self.name, html.encode("utf-8"))
