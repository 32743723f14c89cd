"""The store: SQLAlchemy 2 models, the engine factory and queries over them.

``advisor.store.database.Database`` opens a store (SQLite file or PostgreSQL) and gives
transactions; ``advisor.store.models`` holds the tables; ``advisor.store.repositories`` the
queries the services share. Nothing here decides who may do what: that is
``advisor.services``.
"""
