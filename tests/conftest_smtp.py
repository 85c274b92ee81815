"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests that send mail."""

from __future__ import annotations

import socket
from collections.abc import Callable, Container, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """Keeps every envelope it accepts; refuses the recipients in `refuse` (every one if True)."""

    def __init__(self, refuse: Container[str] | bool = ()) -> None:
        self.refuse = refuse
        self.envelopes: list = []

    @property
    def messages(self) -> list[EmailMessage]:
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(e.original_content) for e in self.envelopes]

    def refuses(self, address: str) -> bool:
        return self.refuse is True or (self.refuse is not False and address in self.refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuses(address):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., tuple[Inbox, int]]]:
    """Starts SMTP servers on 127.0.0.1: `smtp_server(inbox=None, refuse=(), **controller_options)`
    returns the inbox and the port; every server stops when the test ends."""
    controllers = []

    def start(
        inbox: Inbox | None = None, *, refuse: Container[str] | bool = (), **options
    ) -> tuple[Inbox, int]:
        inbox, port = inbox or Inbox(refuse), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()
