"""Render stages shared by build and serve: HTML pages and PDF jobs for one locale's view."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .loader import Project, today
from .localize import LocalizedSite, source_title
from .pdf import MEMORY_SCHEME, qr_svg
from .render import PageRenderer, template_dirs

SITE_DIR = "site"


@dataclass
class Output:
    """One rendered file, held in memory until every stage has succeeded."""

    path: str  # relative to the site folder
    guide: str
    locale: str
    format: str
    data: bytes


@dataclass
class PdfJob:
    """Everything a worker process needs to render one PDF."""

    path: str
    guide: str
    locale: str
    html: str
    base_dir: Path
    asset_roots: list[Path]
    memory: dict[str, bytes] = field(default_factory=dict)
    identifier: str = ""
    direction: str = "ltr"


@dataclass(frozen=True)
class PdfVariant:
    """A printed form of a guide: paper size and type size."""

    suffix: str
    paper: str
    large: bool


def pdf_variants(paper: str) -> list[PdfVariant]:
    """Return the PDFs built for each guide: standard and large print, on the chosen paper."""
    return [PdfVariant("", paper, False), PdfVariant(".large", paper, True)]


def pdf_name(guide_id: str, locale: str, variant: PdfVariant) -> str:
    return f"{guide_id}.{locale}{variant.suffix}.pdf"


def canonical_url(project: Project, locale: str, guide_id: str) -> str:
    return f"{project.config.base_url.rstrip('/')}/{locale}/{guide_id}/"


THEME_ASSETS = ("style.css",)


def find_template_file(project_root: Path, name: str) -> Path:
    """Return the first file called name in the template lookup order."""
    for folder in template_dirs(project_root):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


def theme_assets(project_root: Path) -> list[Output]:
    """Return the theme files pages link to, copied to build/site/assets/."""
    return [
        Output(f"assets/{name}", "", "", "css", find_template_file(project_root, name).read_bytes())
        for name in THEME_ASSETS
    ]


def render_language_page(renderer: PageRenderer) -> Output:
    """Return build/site/index.html, where readers choose their language."""
    html = renderer.render("language.html", root="")
    return Output("index.html", "", "", "html", html.encode("utf-8"))


def render_locale_index(renderer: PageRenderer, project: Project, site: LocalizedSite) -> Output:
    """Return <locale>/index.html listing the guides published in that locale."""
    source = project.config.locale(project.config.source_locale)
    unpublished = [{"id": g, "title": source_title(project, g)} for g in site.unpublished]
    html = renderer.render(
        "index.html",
        root="../",
        guides=list(site.guides.values()),
        unpublished=unpublished,
        source_locale=source,
    )
    return Output(
        f"{site.locale.code}/index.html", "", site.locale.code, "html", html.encode("utf-8")
    )


def _translations(project: Project, published: dict[str, list[str]], guide_id: str, code: str):
    return [
        project.config.locale(other)
        for other, guides in published.items()
        if other != code and guide_id in guides
    ]


def _guide_context(project: Project, site: LocalizedSite, guide_id: str) -> dict:
    guide = site.guides[guide_id]
    return {
        "guide": guide,
        "stale": guide.review.review_by < today(),
        "canonical_url": canonical_url(project, site.locale.code, guide_id),
    }


def render_guide_page(
    renderer: PageRenderer,
    project: Project,
    published: dict[str, list[str]],
    site: LocalizedSite,
    guide_id: str,
    paper: str,
    with_pdfs: bool,
) -> Output:
    """Return <locale>/<guide>/index.html."""
    code = site.locale.code
    gettext = renderer.interface.gettext
    labels = {"": gettext("PDF for printing"), ".large": gettext("Large-print PDF")}
    pdfs = (
        [
            {"href": pdf_name(guide_id, code, v), "label": labels[v.suffix]}
            for v in pdf_variants(paper)
        ]
        if with_pdfs
        else []
    )
    related = [site.guides[g] for g in site.guides[guide_id].related if g in site.guides]
    html = renderer.render(
        "guide.html",
        root="../../",
        print=False,
        pdfs=pdfs,
        related=related,
        translations=_translations(project, published, guide_id, code),
        **_guide_context(project, site, guide_id),
    )
    return Output(f"{code}/{guide_id}/index.html", guide_id, code, "html", html.encode("utf-8"))


def pdf_jobs(
    renderer: PageRenderer,
    project: Project,
    site: LocalizedSite,
    guide_id: str,
    variants: list[PdfVariant],
) -> list[PdfJob]:
    """Return the PDF jobs (one per variant) of one guide in one locale."""
    code = site.locale.code
    context = _guide_context(project, site, guide_id)
    qr_url = f"{MEMORY_SCHEME}:qr-{guide_id}-{code}.svg"
    memory = {qr_url: qr_svg(context["canonical_url"])}
    roots = template_dirs(project.root)
    stylesheets = [find_template_file(project.root, n).as_uri() for n in ("style.css", "pdf.css")]
    jobs = []
    for variant in variants:
        html = renderer.render(
            "guide_pdf.html",
            print=True,
            paper=variant.paper,
            large=variant.large,
            qr_src=qr_url,
            stylesheets=stylesheets,
            **context,
        )
        name = pdf_name(guide_id, code, variant)
        jobs.append(
            PdfJob(
                f"{code}/{guide_id}/{name}",
                guide_id,
                code,
                html,
                roots[0],
                roots,
                memory,
                f"{guide_id}/{code}/{context['guide'].edition}{variant.suffix}",
                site.locale.dir,
            )
        )
    return jobs
