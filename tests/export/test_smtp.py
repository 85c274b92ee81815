"""Sending: an approved email reaches a real SMTP server (aiosmtpd on 127.0.0.1) exactly as
exported, and every way it can fail is a SendError that never shows the password."""

from __future__ import annotations

import base64
import socket
import ssl
import subprocess
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.smtp import AuthResult
from asks import make_ask
from conftest_smtp import Inbox, free_port

from pitchgen.ask import Channel
from pitchgen.content.models import Draft
from pitchgen.drafting.fallback import render_content
from pitchgen.errors import ConfigError, Conflict, InvalidInput, SendError
from pitchgen.export.files import export
from pitchgen.export.smtp import SendResult, SmtpConfig, send_email
from pitchgen.settings import Settings

NOW = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
USER, PASSWORD = "ava", "s3cret-pa55word"
EMAIL = {
    "subject": "Your room for the Main Street Licensing Summit",
    "body": "Dear Marcus Lee,\n\nCould we use your room on March 4, 2027?\n\nAva Thompson",
}


def make_draft(channel: Channel = Channel.email, status: str = "approved", version: int = 2):
    # Only the channel matters before an email is built: other channels carry their template.
    content = (
        EMAIL
        if channel is Channel.email
        else render_content(make_ask("summit-venue.yaml"), channel)
    )
    return Draft(
        id="d-7f3a",
        channel=channel,
        source="template",
        prompt_version="test",
        content=content,
        text="",
        checks=[],
        status=status,
        version=version,
    )


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(autouse=True)
def _no_smtp_environment(monkeypatch):
    for name in ("HOST", "PORT", "USER", "PASSWORD", "TLS"):
        monkeypatch.delenv(f"PITCHGEN_SMTP_{name}", raising=False)


def plain(port: int, **options) -> SmtpConfig:
    return SmtpConfig("127.0.0.1", port, "none", **options)


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


# --- delivery -------------------------------------------------------------------------------


def test_an_approved_email_arrives_exactly_as_exported(smtp_server):
    inbox, port = smtp_server()
    ask, draft = make_ask("summit-venue.yaml"), make_draft()

    result = send_email(draft, ask, plain(port), now=NOW)

    (received,) = inbox.envelopes
    exported = export(draft, ask, "eml", now=NOW).data
    assert received.mail_from == "ava.thompson@libertypolicyforum.org"
    assert received.rcpt_tos == ["mlee@mainstreetalliance.org"]
    assert received.original_content.rstrip(b"\r\n") == exported.rstrip(b"\r\n")
    assert result == SendResult(parse(exported)["Message-ID"], NOW)


def test_settings_configure_the_server(smtp_server):
    inbox, port = smtp_server()
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")

    send_email(make_draft(), make_ask("summit-venue.yaml"), settings, now=NOW)

    assert len(inbox.envelopes) == 1


def test_a_retry_of_the_same_revision_carries_the_same_message_id(smtp_server):
    inbox, port = smtp_server()
    ask = make_ask("summit-venue.yaml")

    first = send_email(make_draft(), ask, plain(port), now=NOW)
    retry = send_email(make_draft(), ask, plain(port))
    revised = send_email(make_draft(version=3), ask, plain(port))

    ids = [parse(e.original_content)["Message-ID"] for e in inbox.envelopes]
    assert ids == [first.message_id, first.message_id, revised.message_id]
    assert retry.message_id == first.message_id != revised.message_id


def test_non_ascii_names_arrive_encoded(smtp_server):
    inbox, port = smtp_server()
    ask = make_ask(
        "summit-venue.yaml",
        sender={"name": "Lucía Fernández"},
        partner={"contact_name": "Zoë Ōtsuka"},
    )

    send_email(make_draft(), ask, plain(port), now=NOW)

    message = parse(inbox.envelopes[0].original_content)
    assert message["From"].addresses[0].display_name == "Lucía Fernández"
    assert message["To"].addresses[0].display_name == "Zoë Ōtsuka"


def test_an_internationalised_mailbox_is_sent_with_smtputf8(smtp_server):
    inbox, port = smtp_server()  # aiosmtpd's Controller offers SMTPUTF8 unless told not to
    ask = make_ask("summit-venue.yaml", partner={"email": "zoë@example.org"})

    send_email(make_draft(), ask, plain(port), now=NOW)

    assert inbox.envelopes[0].rcpt_tos == ["zoë@example.org"]
    assert inbox.envelopes[0].original_content.rstrip(b"\r\n") == (
        export(make_draft(), ask, "eml", now=NOW).data.rstrip(b"\r\n")
    )


def test_an_internationalised_mailbox_needs_a_server_that_takes_it(smtp_server):
    inbox, port = smtp_server(enable_SMTPUTF8=False)
    ask = make_ask("summit-venue.yaml", partner={"email": "zoë@example.org"})

    with pytest.raises(SendError, match="SMTPUTF8"):
        send_email(make_draft(), ask, plain(port), now=NOW)
    assert inbox.envelopes == []


def test_login_with_the_configured_credentials(smtp_server):
    inbox, port = smtp_server(authenticator=check_login, auth_require_tls=False)

    send_email(
        make_draft(),
        make_ask("summit-venue.yaml"),
        plain(port, user=USER, password=PASSWORD),
        now=NOW,
    )

    assert len(inbox.envelopes) == 1


def test_starttls_encrypts_before_logging_in(smtp_server, tmp_path, monkeypatch):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    inbox, port = smtp_server(tls_context=tls, require_starttls=True, authenticator=check_login)
    # The client trusts only what the system trusts: point it at this test's certificate.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))

    config = SmtpConfig("127.0.0.1", port, "starttls", USER, PASSWORD)
    send_email(make_draft(), make_ask("summit-venue.yaml"), config, now=NOW)

    assert len(inbox.envelopes) == 1


# --- refusals before any connection ---------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "rejected", "sent"])
def test_only_an_approved_draft_is_sent(smtp_server, status):
    inbox, port = smtp_server()
    with pytest.raises(Conflict, match=status):
        send_email(make_draft(status=status), make_ask("summit-venue.yaml"), plain(port))
    assert inbox.envelopes == []


@pytest.mark.parametrize("channel", [Channel.call_script, Channel.meeting_agenda])
def test_calls_and_meetings_are_not_sent_by_email(channel):
    with pytest.raises(InvalidInput) as caught:
        send_email(make_draft(channel), make_ask("summit-venue.yaml"), plain(1))
    assert [p.path for p in caught.value.problems] == ["channel"]


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"partner": {"email": None}}, ["partner.email"]),
        ({"sender": {"email": None}}, ["sender.email"]),
        (
            {"sender": {"email": None}, "partner": {"email": None}},
            ["sender.email", "partner.email"],
        ),
    ],
)
def test_an_email_needs_both_addresses(changes, paths):
    ask = make_ask("summit-venue.yaml", **changes)
    with pytest.raises(InvalidInput) as caught:
        send_email(make_draft(), ask, plain(1))
    assert [p.path for p in caught.value.problems] == paths


def test_without_a_host_sending_is_not_configured():
    with pytest.raises(ConfigError, match="sending is not configured: set PITCHGEN_SMTP_HOST"):
        send_email(make_draft(), make_ask("summit-venue.yaml"), Settings())


@pytest.mark.parametrize(("user", "password"), [(USER, None), (None, PASSWORD)])
def test_a_login_needs_both_user_and_password(user, password):
    settings = Settings(smtp_host="127.0.0.1", smtp_user=user, smtp_password=password)
    with pytest.raises(ConfigError, match="both PITCHGEN_SMTP_USER and PITCHGEN_SMTP_PASSWORD"):
        send_email(make_draft(), make_ask("summit-venue.yaml"), settings)


# --- failures -------------------------------------------------------------------------------


def silent_port(listener: socket.socket) -> int:
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener.getsockname()[1]


def test_a_wrong_password_is_a_send_error_that_does_not_show_it(smtp_server):
    inbox, port = smtp_server(authenticator=check_login, auth_require_tls=False)
    config = plain(port, user=USER, password="wrong-" + PASSWORD)

    with pytest.raises(SendError, match=f"refused the login of user '{USER}'") as caught:
        send_email(make_draft(), make_ask("summit-venue.yaml"), config)

    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in repr(config)
    assert inbox.envelopes == []


def test_a_refused_recipient_is_named(smtp_server):
    refused = "nobody@mainstreetalliance.org"
    inbox, port = smtp_server(refuse={refused}, authenticator=check_login, auth_require_tls=False)
    ask = make_ask("summit-venue.yaml", partner={"email": refused})

    with pytest.raises(SendError, match=f"refused the recipient {refused}: 550") as caught:
        send_email(make_draft(), ask, plain(port, user=USER, password=PASSWORD))

    assert PASSWORD not in str(caught.value)
    assert inbox.envelopes == []


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_a_closed_port_is_a_send_error(security):
    port = free_port()  # nothing listens on it once the probe closes
    config = SmtpConfig("127.0.0.1", port, security, USER, PASSWORD)
    with pytest.raises(SendError, match=f"could not connect to 127.0.0.1:{port}") as caught:
        send_email(make_draft(), make_ask("summit-venue.yaml"), config)
    assert PASSWORD not in str(caught.value)


def test_a_server_that_never_answers_times_out():
    with socket.socket() as listener:
        port = silent_port(listener)
        config = SmtpConfig("127.0.0.1", port, "none", timeout=0.2)
        with pytest.raises(SendError, match=r"did not answer within 0\.2 s"):
            send_email(make_draft(), make_ask("summit-venue.yaml"), config)


def test_starttls_is_never_skipped_when_the_server_lacks_it(smtp_server):
    inbox, port = smtp_server()
    config = SmtpConfig("127.0.0.1", port, "starttls", USER, PASSWORD)

    with pytest.raises(SendError, match="STARTTLS") as caught:
        send_email(make_draft(), make_ask("summit-venue.yaml"), config)

    assert PASSWORD not in str(caught.value)
    assert inbox.envelopes == []


def test_tls_against_a_plain_server_fails_cleanly(smtp_server):
    inbox, port = smtp_server()
    config = SmtpConfig("127.0.0.1", port, "tls", timeout=5)

    with pytest.raises(SendError, match=f"TLS with 127.0.0.1:{port} failed"):
        send_email(make_draft(), make_ask("summit-venue.yaml"), config)

    assert inbox.envelopes == []


def test_a_server_that_echoes_the_password_does_not_leak_it(smtp_server):
    class Echo(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return f"550 rejected; your password is {PASSWORD}"

    _, port = smtp_server(Echo(), authenticator=check_login, auth_require_tls=False)

    with pytest.raises(SendError) as caught:
        send_email(
            make_draft(), make_ask("summit-venue.yaml"), plain(port, user=USER, password=PASSWORD)
        )

    assert PASSWORD not in str(caught.value)
    assert "550 rejected; your password is ********" in str(caught.value)


@pytest.mark.parametrize(
    "echoed",
    [
        base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode(),  # AUTH PLAIN
        base64.b64encode(PASSWORD.encode()).decode(),  # AUTH LOGIN's password line
    ],
    ids=["auth-plain", "auth-login"],
)
def test_a_server_that_echoes_the_auth_line_does_not_leak_the_password(smtp_server, echoed):
    class Echo(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return f"550 credentials rejected: AUTH PLAIN {echoed}"

    _, port = smtp_server(Echo(), authenticator=check_login, auth_require_tls=False)

    with pytest.raises(SendError) as caught:
        send_email(
            make_draft(), make_ask("summit-venue.yaml"), plain(port, user=USER, password=PASSWORD)
        )

    assert echoed not in str(caught.value)
    assert "AUTH PLAIN ********" in str(caught.value)
