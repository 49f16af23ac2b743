"""Persistence: the SQLAlchemy Core schema, the event codec and the append-only store."""
