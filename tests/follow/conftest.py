"""Follow-through fixtures: a service over the `store` fixture (SQLite and PostgreSQL alike) and
pitches that went out, ready for an outcome."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from follow_helpers import SUMMIT, send_pitch

from pitchgen.ask import Ask, Channel, load_ask
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.repository import Store
from pitchgen.store.rows import StoredDraft


@pytest.fixture
def summit() -> Ask:
    return load_ask(SUMMIT)


@pytest.fixture
def service(store: Store) -> Service:
    return Service(Settings(llm="off"), store=store)


@pytest.fixture
def sent(service: Service, summit: Ask) -> Callable[..., StoredDraft]:
    return lambda ask=None, channel=Channel.email: send_pitch(service, ask or summit, channel)
