"""Schemathesis against the API's own OpenAPI schema: whatever a client sends, the server
answers without a 5xx and with a response its schema describes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

KEY = "schemathesis-key-0123456789abcdef"

_DATA = Path(tempfile.mkdtemp(prefix="pitchgen-schemathesis-"))
app = create_app(
    Settings(
        database_url=f"sqlite:///{_DATA / 'pitchgen.db'}",
        llm="off",
        api_keys=KEY,
        allowed_hosts="testserver",  # the name schemathesis's ASGI client sends
    ),
    rate_limit=RateLimit(per_second=1e6, burst=1_000_000),
    failed_keys=RateLimit(per_second=1e6, burst=1_000_000),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
# Both judge validation, not responses: the API checks more than a schema can say (a cursor
# from a previous page, content fitting the draft's own channel) and, like the CLI, accepts an
# ask's numbers and times in the lenient forms pydantic reads ("2500", a Unix time).
NOT_ABOUT_RESPONSES = [positive_data_acceptance, negative_data_rejection]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_error_and_every_response_matches_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {KEY}"}, excluded_checks=NOT_ABOUT_RESPONSES
    )
