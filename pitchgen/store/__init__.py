"""The draft store: asks, drafts, revisions, events, idempotency records and the partner
directory in SQLite or PostgreSQL. `repository`: the `Store`, opened, migrated and its
connections; `reads` and `writes`: its methods. `partners`: the directory. `rows`: what it
hands back and takes. `database`: opening an engine and naming a database without its secrets.
`idempotency`: the kept responses of `POST /v1/drafts`. `migrations/`: the schema and its
Alembic migrations. `direct`: a saving CLI draft's rows written to SQLite without SQLAlchemy
(the rows from `newrows`, the connection set up by `sqlite`, as the store's).
May import: `pitchgen.partners`, `pitchgen.content`, `pitchgen.ask`, `pitchgen.settings`,
`pitchgen.errors`. SQLAlchemy is imported only by these modules: nothing is imported on
package import.
"""
