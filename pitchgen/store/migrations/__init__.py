"""The draft store's schema (`schema`) and the Alembic migrations that build it (`versions/`)."""
