"""Which outbound links a report may print: plain https addresses, nothing else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL_LENGTH = 300

# Letters, digits, dots and hyphens only: no user info, no IP-literal tricks with brackets.
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_BAD_CHARS = re.compile(r"[\s\"'<>\\`{}|^]|[\x00-\x1f\x7f]")


def https_url_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable link, or None when it is a plain https URL."""
    if len(value) > MAX_URL_LENGTH:
        return f"must be at most {MAX_URL_LENGTH} characters"
    if _BAD_CHARS.search(value):
        return "must not contain spaces, quotes, angle brackets or control characters"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() != "https":
        return f"must be an https:// URL, not {parts.scheme or 'a relative address'!r}"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user name or password"
    host = (parts.hostname or "").lower()
    if not _HOST.match(host):
        return "must name a public host (letters, digits, dots), not an address or 'localhost'"
    if port not in (None, 443):
        return "must use the standard https port"
    return None


def safe_https_url(value: object) -> str | None:
    """``value`` as a string when it is a plain https URL; None for anything else."""
    if value is None:
        return None
    text = str(value)
    return text if https_url_problem(text) is None else None
