"""Names from the ask become From and To display names: each header reads back as exactly the
one mailbox meant, however long or punctuated the name; a name that would read as an address
is refused at its path (422 in the API, exit 2 in the CLI) and again at export."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest
import yaml
from asks import EXAMPLES, make_ask
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pitchgen.ask import Channel
from pitchgen.ask.mailheaders import address_header, header_name_problem
from pitchgen.cli import main
from pitchgen.content.models import Draft
from pitchgen.errors import InvalidInput
from pitchgen.export.files import export
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

# From the security review: Python's folder drops the quotes of this long display name.
ATTACK = 'Partnerships Team of the Main Street Business Alliance "x" <evil@evil.example>, "y"'
LONG = "Dr. Hannah Weiss, PhD, Director of Community Partnerships and Outreach, Main Street"
NOW = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)


def email_draft() -> Draft:
    return Draft(
        id="d-1", channel=Channel.email, source="template", prompt_version="t",
        content={"subject": "A room", "body": "Dear Marcus"}, text="", checks=[],
        status="approved",
    )  # fmt: skip


def headers(ask) -> dict:
    message = BytesParser(policy=policy.default).parsebytes(
        export(email_draft(), ask, "eml", now=NOW).data
    )
    return {
        f: [(a.display_name, a.addr_spec) for a in message[f].addresses] for f in ("From", "To")
    }


@pytest.mark.parametrize(
    "name", ["María José O'Neil-Ávila", "Dr. Hannah Weiss, PhD", LONG, "Ann (Annie) Lee: Events"]
)
def test_a_name_of_any_length_reads_back_as_one_address(name):
    ask = make_ask("summit-venue.yaml", sender={"name": name}, partner={"contact_name": name})

    found = headers(ask)

    # Python 3.11 reads a space into the fold between encoded words; nothing else differs.
    assert [(n.replace(" ", ""), a) for n, a in found["To"]] == [
        (name.replace(" ", ""), "mlee@mainstreetalliance.org")
    ]
    assert [(n.replace(" ", ""), a) for n, a in found["From"]] == [
        (name.replace(" ", ""), ask.sender.email)
    ]


@pytest.mark.parametrize(
    ("section", "field"),
    [("partner", "contact_name"), ("sender", "name"), ("partner", "organization")],
)
def test_a_name_that_reads_as_an_address_is_refused_at_its_path(section, field):
    # The organization is the To name when no contact is named.
    changes = {field: ATTACK} | ({"contact_name": None} if field == "organization" else {})
    with pytest.raises(InvalidInput) as refused:
        make_ask("summit-venue.yaml", **{section: changes})

    (problem,) = refused.value.problems
    assert problem.path == f"{section}.{field}"
    assert "cannot contain" in problem.message


async def test_the_api_refuses_it_with_422_at_its_path():
    ask = make_ask("summit-venue.yaml").model_dump(mode="json", exclude_none=True)
    ask["partner"]["contact_name"] = ATTACK
    transport = httpx.ASGITransport(
        app=create_app(Settings(llm="off"), rate_limit=RateLimit(per_second=1e6, burst=10**6))
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        response = await client.post("/v1/drafts", json={"ask": ask})

    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["ask.partner.contact_name"]


def test_the_cli_refuses_it_with_exit_2(capsys, tmp_path: Path):
    ask = yaml.safe_load((EXAMPLES / "summit-venue.yaml").read_text())
    ask["sender"]["name"] = ATTACK
    path = tmp_path / "ask.yaml"
    path.write_text(yaml.safe_dump(ask))

    code = main(["draft", str(path), "--llm", "off"])

    assert code == 2
    assert "sender.name: cannot contain" in capsys.readouterr().err


def test_an_ask_stored_before_names_were_checked_is_refused_at_export():
    ask = make_ask("summit-venue.yaml")
    stored = ask.model_copy(
        update={"partner": ask.partner.model_copy(update={"contact_name": ATTACK})}
    )

    with pytest.raises(InvalidInput) as refused:
        export(email_draft(), stored, "eml", now=NOW)

    assert [p.path for p in refused.value.problems] == ["partner.contact_name"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(st.characters(categories=("L", "Nd")) | st.sampled_from("'’-.,"), min_size=1),
        min_size=1,
        max_size=12,
    ).map(" ".join)
)
def test_a_name_accepted_at_once_also_reads_back_as_one_address(name: str) -> None:
    # The quick acceptance of letters, digits, apostrophes and hyphens must never let through a
    # name the full parse-back would refuse.
    assume(header_name_problem(name) is None)
    for field in ("From", "To"):
        assert address_header(field, name, "probe", "example.invalid", policy.SMTP) is not None
