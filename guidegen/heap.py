"""Give the memory a worker has freed back to the system, between its items.

Python hands every object larger than 512 bytes (a page's HTML, a guide's catalog text, the
tables of big dicts and lists) to the C library's malloc. glibc's malloc keeps what is freed
inside its heap for the next allocation and returns it to the system only from the heap's top;
a worker that checks and renders guide after guide so keeps its largest moment's memory for
good, with holes in it (10-15 MB a page worker at 4,000 documents; 10,000 documents took 33 MB
less in all processes with this). malloc_trim(0) returns every free page in the heap, wherever
it is: 0.2-0.7 ms between two items at 4,000 documents. Other C libraries (musl, macOS) have no
malloc_trim: there this does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache


def give_back() -> None:
    """Return the pages malloc holds free to the system (glibc; elsewhere nothing)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
