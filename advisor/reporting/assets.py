"""What a report may load: its own assets, named, held in memory.

Kept apart from ``advisor.reporting.fetcher`` (which needs WeasyPrint) so that writing HTML,
JSON or CSV never imports the PDF engine.
"""

from __future__ import annotations

from dataclasses import dataclass

ASSET_SCHEME = "report-asset"


def asset_url(name: str) -> str:
    """The URL under which an allow-listed asset is served to WeasyPrint."""
    return f"{ASSET_SCHEME}:{name}"


@dataclass(frozen=True)
class Asset:
    """One allow-listed asset: its bytes and MIME type."""

    data: bytes
    mime: str
