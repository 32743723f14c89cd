"""The limits every report render runs under, on a broker's worker or in the app's own pool."""

from __future__ import annotations

PDF_SECONDS = 120
"""Time a PDF render may take before its worker stops it."""
PDF_MEMORY_BYTES = 2 * 1024**3
"""Address space a PDF render may use."""
RENDER_NICENESS = 10
"""How far below the app's the CPU priority of a render is (0-19): on a machine shared with
the app server, people clicking through pages get the CPU before a report being laid out."""
RETRIES = 1
"""Times a job whose worker died (or ran out of time) is run again before it counts as failed."""

MEMORY_WORDS = "the report needed more memory than a render may use"
