"""The knowledge base: models, loading and validation, the graph, and a synthetic generator."""
