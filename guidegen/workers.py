"""Parallel PDF rendering: worker processes import WeasyPrint once and render many documents."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed

from .pipeline import Output, PdfJob

logger = logging.getLogger(__name__)


def _warm_up() -> None:
    import weasyprint  # noqa: F401  (imported once per worker, not once per document)

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_job(job: PdfJob) -> Output:
    """Render one PDF job into an Output (runs in a worker or in-process)."""
    from .pdf import make_fetcher, render_pdf

    fetcher = make_fetcher(job.asset_roots, job.memory)
    data = render_pdf(job.html, job.base_dir, fetcher, job.identifier, job.direction)
    return Output(job.path, job.guide, job.locale, "pdf", data)


def render_all(
    jobs: list[PdfJob],
    workers: int,
    on_done: Callable[[PdfJob, Output | None, BaseException | None], None],
) -> None:
    """Render jobs, in worker processes when workers > 1, calling on_done for each result."""
    if workers <= 1 or len(jobs) <= 1:
        _warm_up()
        for job in jobs:
            _run_one(job, on_done)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_warm_up) as pool:
        futures = {pool.submit(render_job, job): job for job in _largest_first(jobs)}
        for future in as_completed(futures):
            job = futures[future]
            try:
                on_done(job, future.result(), None)
            except Exception as exc:  # a failed render is reported per guide, not as a traceback
                on_done(job, None, exc)


def _run_one(job: PdfJob, on_done) -> None:
    try:
        output = render_job(job)
    except Exception as exc:
        on_done(job, None, exc)
        return
    on_done(job, output, None)


def _largest_first(jobs: Iterable[PdfJob]) -> list[PdfJob]:
    return sorted(jobs, key=lambda job: len(job.html), reverse=True)
