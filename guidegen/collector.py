"""How often Python's cyclic garbage collector runs while guidegen builds or checks a project.

A build makes millions of objects that live until it ends (parsed catalogs, guides, passages,
rendered pages waiting to be written). With Python's default thresholds the collector walks each
of them again and again as they age, which cost 15-25 % of a cold build of 1,000 documents and
more as the project grows. Reference counting frees nearly everything a build drops; the collector
is needed only for reference cycles, and a build makes few. So while a build runs the young
objects are collected about 140 times less often and the oldest rarely, and the defaults come back
when it ends (guidegen serve and other callers keep their own settings).

WeasyPrint is the exception: each PDF's layout is a web of boxes pointing at their parents, all
cycles. A PDF worker (forked inside the build) therefore collects as Python usually does; with the
build's thresholds one grew by 45 MB a second, to 2.4 GB over the 80 PDFs of 10 guides.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BUILD_THRESHOLDS = (100_000, 50, 100)
USUAL_THRESHOLDS = gc.get_threshold()  # Python's own, as this module is first imported


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cycles rarely inside the block (forked workers inherit it); restore after."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def usual_collections() -> None:
    """Collect cycles as Python usually does, for the rest of this forked process (a PDF
    worker's), but never walk what it inherited: collections then see only its own objects,
    and do not write into pages it shares with the build process."""
    gc.freeze()
    gc.set_threshold(*USUAL_THRESHOLDS)
