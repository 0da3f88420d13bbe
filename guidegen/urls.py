"""Web addresses and phone numbers from untrusted files: what may become a link, and what not.

A contact's or a source's address becomes a live link in the page and the PDF, and the QR code
prints the site's base address: only http(s) addresses with a plain host are links. Markdown
links in passages may also be mailto: and tel:, or stay inside the site (see markup.py).
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

WEB = ("https", "http")
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,28}[0-9]$")
MAX_URL = 300


def url_problem(value: str, schemes: tuple[str, ...] = WEB) -> str:
    """Return why value is not an acceptable web address (empty when it is)."""
    shown = html.unescape(value)
    if shown != shown.strip() or any(c.isspace() or ord(c) < 32 for c in shown):
        return f"web address {value!r} contains spaces or control characters"
    if len(shown) > MAX_URL:
        return f"web address is {len(shown)} characters long, over the limit of {MAX_URL}"
    parts = urlsplit(shown)
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        allowed = " or ".join(f"{s}://" for s in schemes)
        return f"web address {value!r} must start with {allowed}"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return f"web address {value!r} names a user before the host (a way to disguise a link)"
    host = (parts.hostname or "").rstrip(".")
    if not host or not host.isascii() or not _HOST.match(host):
        return (
            f"web address {value!r} has no plain host name "
            "(write international names in punycode, xn--...)"
        )
    if "\\" in shown or ".." in unquote(parts.path).split("/"):
        return f"web address {value!r} has a backslash or a '..' path"
    return ""


def phone_problem(value: str) -> str:
    """Return why value is not a phone number readers can dial (empty when it is)."""
    if not _PHONE.match(value):
        return (
            f"phone number {value!r} may hold only digits, spaces, hyphens, brackets "
            "and a leading +"
        )
    return ""
