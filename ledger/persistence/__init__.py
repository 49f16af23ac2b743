"""Persistence: the SQLAlchemy Core schema, the event mapper and the append-only store."""
