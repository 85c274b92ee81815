"""The `store` fixture, over SQLite and PostgreSQL alike, and hand-built draft sets to fill it.

Loaded by the store and review tests through `pytest_plugins`. Each PostgreSQL test gets a
schema of its own, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from pitchgen.ask import Ask, Channel, load_ask
from pitchgen.content.models import CheckResult, Draft, DraftSet, Recommendation
from pitchgen.store.repository import Store

# Read at import: the suite's autouse fixture clears every PITCHGEN_* variable before a test.
POSTGRES_URL = os.environ.get(
    "PITCHGEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ASKS = Path(__file__).resolve().parent.parent / "fixtures" / "asks"
MUSTS = (
    "names_partner",
    "states_ask",
    "partner_benefit",
    "plan_timeline",
    "budget_clear",
    "call_to_action",
    "grounded",
    "no_placeholders",
    "channel_fit",
    "signed",
)

_postgres_problem: list[str] = []


def _postgres_admin() -> sa.Engine:
    url = sa.make_url(POSTGRES_URL).update_query_dict({"connect_timeout": "3"})
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    if _postgres_problem:
        pytest.skip(_postgres_problem[0])
    try:
        with engine.connect():
            pass
    except Exception as exc:  # any failure to connect means: skip, and say why
        first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
        safe = sa.make_url(POSTGRES_URL).render_as_string(hide_password=True)
        _postgres_problem.append(f"PostgreSQL not reachable at {safe}: {first_line}")
        pytest.skip(_postgres_problem[0])
    return engine


@contextmanager
def scratch_schema_url(prefix: str) -> Iterator[str]:
    """A URL of the test PostgreSQL database confined to a new schema, dropped afterwards:
    tests running at once never see each other's tables."""
    admin = _postgres_admin()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with scratch_schema_url("pitchgen_test") as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.from_url(store_url)
    yield opened
    opened.close()


@pytest.fixture
def summit() -> Ask:
    return load_ask(ASKS / "summit-venue.yaml")


def checks(*failing: str) -> list[CheckResult]:
    """Every must check, passing except those named, and one advice."""
    results = [CheckResult(id=c, level="must", passed=c not in failing, detail="") for c in MUSTS]
    return [*results, CheckResult(id="reading_ease", level="advice", passed=True, detail="")]


_CALL = ("opener", "purpose", "value_for_partner", "the_ask", "plan", "close", "voicemail")
_AGENDA_LISTS = ("attendees", "items", "decisions_needed", "materials", "next_steps")
# Short, but whole: a draft's content is its channel's model, so every field is there.
CONTENT = {
    Channel.email: {"subject": "A room for the summit", "body": "Dear Marcus, ..."},
    Channel.call_script: {f: "Hi Marcus" for f in _CALL} | {"anticipated_questions": []},
    Channel.meeting_agenda: {"title": "Summit room", "duration_minutes": 30, "objective": "A room"}
    | {f: [] for f in _AGENDA_LISTS},
}


def _draft_set(failing: tuple[str, ...] = (), **overrides: object) -> DraftSet:
    """One draft per channel, checks as given (not what the checks would say of the content)."""
    drafts = [
        Draft(
            id=str(uuid.uuid4()),
            channel=channel,
            source="template",
            fallback_reason="llm_off",
            prompt_version="test-prompts",
            content=content,
            text=f"{channel} text",
            checks=checks(*failing),
            **overrides,
        )
        for channel, content in CONTENT.items()
    ]
    return DraftSet(
        ask_id=str(uuid.uuid4()),
        recommended_channel=Recommendation(channel=Channel.email, reason="small and free"),
        warnings=[],
        drafts=drafts,
    )


@pytest.fixture
def make_set() -> Callable[..., DraftSet]:
    return _draft_set
