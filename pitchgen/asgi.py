"""ASGI plumbing the server's guard and the API's plain routes share: a request body, once read,
handed back to the app that reads it next.

May import: nothing of pitchgen.
"""

from __future__ import annotations

from starlette.types import Message, Receive

__all__ = ["replay"]


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives `body` once as the whole request, then whatever comes next (the
    client's disconnect)."""
    done = False

    async def replayed() -> Message:
        nonlocal done
        if done:
            return await receive()
        done = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
