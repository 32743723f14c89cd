"""The only way WeasyPrint may load anything: the report's own assets, from memory.

WeasyPrint's default fetcher opens ``file:``, ``http(s):`` and ``data:`` URLs, so a document
with ``<link rel="attachment" href="file:///...">`` could embed any file the process can read.
``AssetFetcher`` serves an allow-list of in-memory assets under the ``report-asset:`` scheme,
follows no redirect, opens no socket or file, and refuses (and records) everything else.
"""

from __future__ import annotations

from collections.abc import Mapping

from weasyprint.urls import URLFetcher, URLFetcherResponse

from advisor.reporting.assets import ASSET_SCHEME, Asset, asset_url

__all__ = ["ASSET_SCHEME", "Asset", "AssetFetcher", "RefusedURLError", "asset_url"]


class RefusedURLError(ValueError):
    """A URL outside the report's allow-list was asked for."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serve allow-listed assets by exact URL; refuse and record every other request."""

    def __init__(self, assets: Mapping[str, Asset] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=[ASSET_SCHEME], allow_redirects=False)
        self._assets = {asset_url(name): asset for name, asset in (assets or {}).items()}
        self.requested: list[str] = []
        """Every URL WeasyPrint asked for, in order, served or not."""
        self.refused: list[str] = []
        """The URLs that were refused."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the asset for ``url`` or raise RefusedURLError; never touches disk or network."""
        self.requested.append(url)
        asset = self._assets.get(url)
        if asset is None:
            self.refused.append(url)
            raise RefusedURLError(f"not one of the report's own assets: {url[:80]}")
        return URLFetcherResponse(url, body=asset.data, headers={"Content-Type": asset.mime})

    def open(self, url: object, data: object = None, timeout: object = None) -> URLFetcherResponse:
        """Refuse urllib-style opening, which could follow handlers to the network."""
        raise RefusedURLError("the report fetcher does not open URLs through urllib")
