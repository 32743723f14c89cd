"""Alembic migrations of the store; run them with ``advisor db upgrade``."""
