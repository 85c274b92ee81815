"""SMTP delivery of an approved email draft: exactly the message `export(..., "eml")` builds.

The Message-ID is fixed per (draft id, version), so whoever records sends can recognise a
retry of a revision already sent. Every failure is a `SendError` whose message names the
server and its reply and never the password.

A server cannot hold a send longer than `SmtpConfig.deadline`: each connect, command and reply
waits at most `timeout`, and never past the deadline, however slowly the server trickles.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from pitchgen.ask import Ask, Channel
from pitchgen.content.models import Draft
from pitchgen.errors import (
    ConfigError,
    Conflict,
    InvalidInput,
    Problem,
    SendError,
    SendingNotConfigured,
    SendUnconfirmed,
)
from pitchgen.export.files import export, mailbox, message_id
from pitchgen.settings import Settings

__all__ = ["SendResult", "SmtpConfig", "send_email"]

Security = Literal["none", "starttls", "tls"]
_DEFAULT_PORTS: dict[Security, int] = {"none": 25, "starttls": 587, "tls": 465}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int | None = None
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    # Seconds: for the connection and each reply; for the whole transaction.
    timeout: float = 20.0
    deadline: float = 60.0

    def __post_init__(self) -> None:
        if not self.host:
            raise SendingNotConfigured(
                "sending is not configured: set PITCHGEN_SMTP_HOST (and PITCHGEN_SMTP_PORT,"
                " PITCHGEN_SMTP_TLS, PITCHGEN_SMTP_USER, PITCHGEN_SMTP_PASSWORD as your server"
                " needs); export still works"
            )
        if (self.user is None) != (self.password is None):
            raise ConfigError(
                "SMTP login needs both PITCHGEN_SMTP_USER and PITCHGEN_SMTP_PASSWORD, or neither"
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host or "",
            port=settings.smtp_port,
            security=settings.smtp_tls,
            user=settings.smtp_user or None,
            password=password.get_secret_value() if password is not None else None,
            timeout=settings.smtp_timeout_seconds,
            deadline=settings.smtp_deadline_seconds,
        )

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or _DEFAULT_PORTS[self.security]}"


@dataclass(frozen=True)
class SendResult:
    message_id: str
    sent_at: datetime


def send_email(
    draft: Draft, ask: Ask, smtp: SmtpConfig | Settings, *, now: datetime | None = None
) -> SendResult:
    """Send an approved email draft to the partner; `now` (aware) is its Date, else the current
    time. Raises Conflict unless approved, InvalidInput for a missing address, ConfigError
    without a server, SendError when the server refuses or cannot be reached."""
    if draft.channel is not Channel.email:
        kind = Channel(draft.channel).label
        problem = Problem("channel", f"only an email draft is sent by email, not a {kind}")
        raise InvalidInput([problem])
    if draft.status != "approved":
        raise Conflict(f"only an approved draft can be sent; this one is {draft.status}")
    sender, recipient = ask.sender.email, ask.partner.email
    if sender is None or recipient is None:
        raise InvalidInput(
            [
                Problem(path, f"required to send: {why}")
                for path, value, why in (
                    ("sender.email", sender, "the partner replies to it"),
                    ("partner.email", recipient, "the email goes to it"),
                )
                if value is None
            ]
        )
    config = smtp if isinstance(smtp, SmtpConfig) else SmtpConfig.from_settings(smtp)
    sent_at = now or datetime.now(UTC)
    data = export(draft, ask, "eml", now=sent_at).data
    try:
        _deliver(config, mailbox(sender), mailbox(recipient), data)
    except SendError as exc:
        raise type(exc)(_scrub(exc.message, config.user, config.password)) from None
    return SendResult(message_id(draft, ask), sent_at)


def _deliver(config: SmtpConfig, sender: str, recipient: str, data: bytes) -> None:
    where = config.address
    deadline = time.monotonic() + config.deadline
    progress = _Progress()
    try:
        try:
            with _connect(config, deadline, progress) as client:
                if config.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if config.user is not None and config.password is not None:
                    client.login(config.user, config.password)
                options = [] if data.isascii() else _utf8_options(client, where)
                client.sendmail(sender, [recipient], data, mail_options=options)
        except Exception as exc:
            if progress.accepted:
                return  # only QUIT failed: the server had taken the message
            _settle_doubt(progress, exc, where)
            raise
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = exc.recipients.get(recipient, (0, b""))
        raise SendError(
            f"{where} refused the recipient {recipient}: {_reply(code, reply)}"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"{where} refused the login of user {config.user!r}:"
            f" {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(
            f"{where} refused the sender {sender}: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        # Raised when STARTTLS or AUTH is not offered: never fall back to sending in the clear.
        raise SendError(f"{where} does not support what sending needs: {exc}") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{where} answered {_reply(exc.smtp_code, exc.smtp_error)}") from None
    except (TimeoutError, smtplib.SMTPServerDisconnected) as exc:
        # smtplib reports a reply that timed out as a disconnection caused by the timeout.
        if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
            if time.monotonic() >= deadline:
                raise SendError(f"{where} did not finish within {config.deadline:g} s") from None
            raise SendError(f"{where} did not answer within {config.timeout:g} s") from None
        raise SendError(f"{where} closed the connection: {exc}") from None
    except smtplib.SMTPException as exc:
        raise SendError(f"{where}: {exc}") from None
    except ssl.SSLError as exc:
        raise SendError(f"TLS with {where} failed: {exc.reason or exc}") from None
    except OSError as exc:
        raise SendError(f"could not connect to {where}: {exc.strerror or exc}") from None


@dataclass
class _Progress:
    """How far a transaction got: once the message's final dot has gone over, a failure is
    not a refusal (the server may have taken it), and once the server answered 250 it is
    delivered, whatever happens to QUIT."""

    data_sent: bool = False
    accepted: bool = False


def _settle_doubt(progress: _Progress, exc: Exception, where: str) -> None:
    """Raise SendUnconfirmed when the failed send may have been delivered; else leave `exc` to
    be reported as the failure it is."""
    if progress.data_sent and not isinstance(exc, smtplib.SMTPResponseException):
        raise SendUnconfirmed(
            f"{where} received the whole message but did not say whether it took it"
            f" ({type(exc).__name__}): it may have been delivered"
        ) from None


class _Bounded:
    """Before each command or reply, the socket may wait `timeout`, or what is left of the
    deadline if less: smtplib's own timeout restarts at every read, so a server answering one
    byte at a time could otherwise hold a send for ever."""

    def _bound(self, timeout: float, deadline: float, progress: _Progress) -> None:
        self._timeout_each, self._deadline, self._progress = timeout, deadline, progress

    def data(self, msg: bytes | str) -> tuple[int, bytes]:
        code, reply = super().data(msg)  # type: ignore[misc]
        self._progress.accepted = code == 250
        return code, reply

    def _budget(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the send's deadline passed")
        if getattr(self, "sock", None) is not None:
            self.sock.settimeout(min(self._timeout_each, left))

    def send(self, s: bytes | str) -> None:
        self._budget()
        super().send(s)  # type: ignore[misc]
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # the end of DATA
            self._progress.data_sent = True

    def getreply(self) -> tuple[int, bytes]:
        self._budget()
        return super().getreply()  # type: ignore[misc]


class _SMTP(_Bounded, smtplib.SMTP):
    def __init__(
        self, host: str, port: int, timeout: float, deadline: float, progress: _Progress
    ) -> None:
        self._bound(timeout, deadline, progress)
        super().__init__(host, port, timeout=min(timeout, deadline - time.monotonic()))


class _SMTPSSL(_Bounded, smtplib.SMTP_SSL):
    def __init__(
        self, host: str, port: int, timeout: float, deadline: float, progress: _Progress
    ) -> None:
        self._bound(timeout, deadline, progress)
        super().__init__(
            host,
            port,
            timeout=min(timeout, deadline - time.monotonic()),
            context=ssl.create_default_context(),
        )


def _connect(config: SmtpConfig, deadline: float, progress: _Progress) -> smtplib.SMTP:
    port = config.port or _DEFAULT_PORTS[config.security]
    kind = _SMTPSSL if config.security == "tls" else _SMTP
    return kind(config.host, port, config.timeout, deadline, progress)


def _utf8_options(client: smtplib.SMTP, where: str) -> list[str]:
    # A message with an internationalised mailbox is UTF-8 throughout (see export); a server
    # that has not said it takes one could mangle the address, so ask it first.
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("smtputf8"):
        raise SendError(f"{where} does not take internationalised addresses (no SMTPUTF8)")
    return ["SMTPUTF8", "BODY=8BITMIME"]


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}".strip()


def _scrub(message: str, user: str | None, password: str | None) -> str:
    """Server replies are outside our control: a server that echoes the password, or the AUTH
    line that carried it (base64 in PLAIN and LOGIN), must not make it into an error, a log or
    the draft's recorded failure."""
    if not password:
        return message
    forms = {password, _b64(password)}
    if user is not None:
        forms |= {_b64(f"\0{user}\0{password}"), _b64(f"{user}\0{user}\0{password}")}
    for form in sorted(forms, key=len, reverse=True):
        message = message.replace(form, "********")
    return message


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()
