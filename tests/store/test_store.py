"""The draft store: what goes in comes back, listings page newest first, failures say why
without a secret, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from pitchgen.ask import Ask, Channel
from pitchgen.content.models import CheckResult, RejectedOutput
from pitchgen.errors import InvalidInput, NotFound, StoreError
from pitchgen.store.migrations import schema
from pitchgen.store.repository import SCHEMA_REVISION, Listing, Store
from pitchgen.store.rows import Change, IdempotencyRecord

pytest_plugins = ["conftest_store"]

_MIGRATIONS = Path(schema.__file__).parent
PASSWORD = "s3cret-Pa55word"  # the secret that must never leak


def test_a_draft_set_comes_back_as_it_went_in(store: Store, summit: Ask, make_set) -> None:
    rejected = RejectedOutput(
        text="Dear [Name]",
        checks=[CheckResult(id="no_placeholders", level="must", passed=False, detail="[Name]")],
    )
    saved = make_set(rejected_llm_output=rejected, model="smollm2")
    store.save_draft_set(summit, saved, actor="ava")

    assert store.get_ask(saved.ask_id) == summit
    for original in saved.drafts:
        stored = store.get_draft(original.id)
        assert stored.model_dump(include=set(type(original).model_fields)) == original.model_dump()
        assert stored.ask_id == saved.ask_id
        assert stored.created_at.tzinfo is not None
        assert stored.sent_at is None and stored.send_error is None
        [revision] = store.revisions(original.id)
        assert (revision.version, revision.author, revision.text) == (1, "ava", original.text)
        assert revision.content == original.content.model_dump(mode="json")
        [event] = store.events(original.id)
        assert (event.action, event.actor, event.from_status, event.to_status) == (
            "created", "ava", None, "draft",
        )  # fmt: skip


def kept(store: Store, key: str) -> list[tuple[str, int, str]]:
    table = schema.api_idempotency
    query = sa.select(table.c.fingerprint, table.c.status, table.c.body).where(table.c.key == key)
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def record(key: str, body: str) -> IdempotencyRecord:
    return IdempotencyRecord("client-a", key, fingerprint="f" * 64, status=201, body=body)


@pytest.mark.parametrize("failing_table", ["api_idempotency", "drafts", "events"])
def test_a_draft_set_and_its_idempotency_record_are_kept_together_or_not_at_all(
    store: Store, summit: Ask, make_set, failing_table: str
) -> None:
    saved = make_set()

    def refuse(conn: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(f"INSERT INTO {failing_table} "):
            raise conn.dialect.loaded_dbapi.OperationalError("simulated disk failure")

    sa.event.listen(store.engine, "before_cursor_execute", refuse)
    with pytest.raises(StoreError, match="simulated disk failure"):
        store.save_draft_set(summit, saved, idempotency=record("k1", "first"))
    sa.event.remove(store.engine, "before_cursor_execute", refuse)

    with pytest.raises(NotFound):
        store.get_ask(saved.ask_id)
    assert store.list_drafts() == Listing([], {}, None)
    assert kept(store, "k1") == []
    assert store.save_draft_set(summit, saved, idempotency=record("k1", "first")) is True
    assert kept(store, "k1") == [("f" * 64, 201, "first")]
    assert len(store.list_drafts().drafts) == len(saved.drafts)


def test_a_key_kept_first_stores_nothing_more(store: Store, summit: Ask, make_set) -> None:
    first, second = make_set(), make_set()
    assert store.save_draft_set(summit, first, idempotency=record("k1", "first")) is True
    assert store.save_draft_set(summit, second, idempotency=record("k1", "second")) is False

    with pytest.raises(NotFound):
        store.get_ask(second.ask_id)
    assert {d.ask_id for d in store.list_drafts().drafts} == {first.ask_id}
    assert kept(store, "k1") == [("f" * 64, 201, "first")]


@pytest.mark.parametrize("read", ["get_draft", "revisions", "events", "get_ask"])
def test_an_unknown_id_is_not_found(store: Store, read: str) -> None:
    with pytest.raises(NotFound, match=r"no (draft|ask) with id nope"):
        getattr(store, read)("nope")


@pytest.fixture
def filled(store: Store, summit: Ask, make_set) -> list[str]:
    """One draft set per partner, oldest first; returns every draft id, newest first."""
    ids = []
    for partner in ["Alpha Guild", "Beta Union", "Gamma Society"]:
        ask = summit.model_copy(
            update={"partner": summit.partner.model_copy(update={"organization": partner})}
        )
        saved = make_set()
        store.save_draft_set(ask, saved)
        ids += [d.id for d in saved.drafts]
    return ids[::-1]


def test_pages_walk_every_draft_newest_first_exactly_once(store: Store, filled: list[str]) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        listing = store.list_drafts(limit=4, cursor=cursor)
        page, cursor = listing.drafts, listing.next_cursor
        seen += [d.id for d in page]
        pages += 1
        if cursor is None:
            break
    assert seen == filled
    assert pages == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"channel": "email"}, 3),
        ({"channel": Channel.meeting_agenda}, 3),
        ({"partner": "beta union"}, 3),
        ({"partner": "Beta Union Local"}, 0),
        ({"partner": "GUILD"}, 3),  # a substring, in either case
        ({"partner": "%"}, 0),  # a wildcard is matched literally
        ({"partner": "Beta", "channel": "call_script"}, 1),
        ({"status": "draft"}, 8),
        ({"status": "rejected"}, 1),
    ],
)
def test_listing_filters(store: Store, filled: list[str], filters: dict, expected: int) -> None:
    store.apply(
        store.get_draft(filled[0]),
        Change(action="reject", actor="ava", to_status="rejected", reason="not now"),
    )
    listing = store.list_drafts(**filters)
    page, cursor = listing.drafts, listing.next_cursor
    assert len(page) == expected
    assert cursor is None
    assert all(d.channel == filters.get("channel", d.channel) for d in page)


@pytest.mark.parametrize(
    ("filters", "path"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyJ4Il0"}, "cursor"),  # valid base64 of ["x"]
        ({"cursor": "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"}, "cursor"),  # [10**32 - 1]
        ({"cursor": "Wy0xXQ"}, "cursor"),  # [-1]
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"status": "pending"}, "status"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_listing_arguments_are_named(store: Store, filters: dict, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.list_drafts(**filters)
    assert [p.path for p in caught.value.problems] == [path]


def test_opening_twice_migrates_once_and_keeps_the_data(
    store_url: str, summit: Ask, make_set
) -> None:
    first = Store.from_url(store_url)
    saved = make_set()
    first.save_draft_set(summit, saved)
    first.close()
    again = Store.from_url(store_url)
    again.upgrade()
    assert again.get_draft(saved.drafts[0].id).id == saved.drafts[0].id
    again.close()


def test_the_schema_revision_shortcut_names_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION


def test_an_older_database_is_brought_up_to_date_on_open(store_url: str) -> None:
    from alembic import command

    old = Store.from_url(store_url, upgrade=False)
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        # Early API builds made their idempotency table themselves.
        schema.api_idempotency.create(conn)
    old.close()

    current = Store.from_url(store_url)
    with current.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == SCHEMA_REVISION
    current.close()


def test_the_migrations_build_exactly_the_tables_the_store_queries(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": schema.include_object})
        assert compare_metadata(context, schema.metadata) == []


def test_an_absent_json_value_is_stored_as_json_null_as_it_always_was(
    store: Store, summit: Ask, make_set
) -> None:
    saved = make_set()  # no rejected model output
    store.save_draft_set(summit, saved, actor="ava")
    query = sa.text("SELECT CAST(rejected_llm_output AS TEXT) FROM drafts WHERE id = :id")
    with store.engine.connect() as conn:
        stored = conn.execute(query, {"id": saved.drafts[0].id}).scalar()
    assert stored == "null"


def test_an_autogenerated_migration_spells_json_as_the_migrations_do() -> None:
    from alembic.autogenerate import produce_migrations, render_python_code

    with sa.create_engine("sqlite://").connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": schema.include_object})
        ops = produce_migrations(context, schema.metadata).upgrade_ops
    code = render_python_code(ops, render_item=schema.render_item)
    assert "sa.Column('ask', sa.JSON().with_variant(postgresql.JSONB(), \"postgresql\")" in code
    assert "pitchgen" not in code


def _not_a_folder(tmp_path: Path) -> str:
    (tmp_path / "plain-file").write_text("")
    return f"sqlite:///{tmp_path / 'plain-file' / 'store.db'}"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (lambda _: f"postgresql://pitchgen:{PASSWORD}@127.0.0.1:1/pitchgen", "127.0.0.1"),
        (lambda _: f"postgres://pitchgen:{PASSWORD}@127.0.0.1:1/pitchgen", "Connection refused"),
        (lambda _: f"postgresql+psycopg://pitchgen:{PASSWORD}@127.0.0.1:port/db", "not a valid"),
        (lambda _: f"mssql+pymssql://pitchgen:{PASSWORD}@127.0.0.1/db", "not installed"),
        (lambda _: f"nosuchdb://pitchgen:{PASSWORD}@127.0.0.1/db", "not a database kind"),
        (_not_a_folder, "SQLite database at"),
        (lambda _: f"postgresql://pitchgen@127.0.0.1:1/db?password={PASSWORD}", "password=***"),
        (lambda _: f"postgresql://u@127.0.0.1:1/db?sslpassword={PASSWORD}", "sslpassword=***"),
    ],
    ids=[
        "unreachable",
        "postgres-scheme",
        "malformed",
        "missing-driver",
        "unknown-kind",
        "unwritable-path",
        "password-in-query",
        "sslpassword-in-query",
    ],
)
def test_a_failing_store_says_why_without_the_password(tmp_path: Path, url, says: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store.from_url(url(tmp_path))
    shown = "".join(traceback.format_exception(caught.value))
    assert says in str(caught.value)
    assert PASSWORD not in shown


def test_a_store_that_goes_away_raises_store_error(tmp_path: Path, summit: Ask, make_set) -> None:
    opened = Store.from_url(f"sqlite:///{tmp_path / 'gone.db'}")
    (tmp_path / "gone.db").unlink()
    (tmp_path / "gone.db").mkdir()
    opened.close()
    with pytest.raises(StoreError, match=r"gone\.db"):
        opened.save_draft_set(summit, make_set())
