"""The knowledge base: models, loading and validation, the graph, and a synthetic generator."""

from pathlib import Path

BUNDLED_KB_DIR = Path(__file__).resolve().parents[2] / "knowledge_base"
"""The knowledge base that ships with the advisor (here so that naming it imports nothing)."""
