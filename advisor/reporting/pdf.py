"""Turn report HTML into a tagged, accessible PDF with WeasyPrint.

PDF/UA-1 gives a tagged structure; the title comes from the document's <title> and the
language from <html lang>. Every URL goes through ``AssetFetcher``: nothing outside the
report's own assets is ever read.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import TYPE_CHECKING

from advisor.reporting.assets import Asset

if TYPE_CHECKING:
    from advisor.reporting.fetcher import AssetFetcher

PDF_VARIANT = "pdf/ua-1"


def render_pdf(
    html: str, assets: Mapping[str, Asset], fetcher: AssetFetcher | None = None
) -> bytes:
    """The PDF bytes for ``html``; ``fetcher`` may be passed in to inspect what was asked for."""
    # imported here: WeasyPrint takes about a second to import, and only a PDF needs it
    from weasyprint import HTML

    from advisor.reporting.fetcher import AssetFetcher

    url_fetcher = fetcher if fetcher is not None else AssetFetcher(assets)
    # base_url stays unset so relative references resolve to nothing rather than to a folder.
    document = HTML(string=html, url_fetcher=url_fetcher, base_url=None)
    # Layout allocates millions of short-lived objects: the cyclic collector, run once
    # afterwards instead of thousands of times during, saves about a sixth of the time.
    # Everything layout allocated is still in the youngest generation then, so collecting
    # that one frees the document without walking the whole heap (the knowledge base and
    # its graph), which would cost a tenth of a second per report.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when given no target
        raise TypeError("WeasyPrint returned no PDF bytes")
    return pdf
