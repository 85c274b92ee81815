"""A `/v1` route's JSON body read as pitchgen reads every document from outside
(`pitchgen.ask.reading.read_json`), before FastAPI would parse it: a body it refuses (not JSON,
not UTF-8, nested deeper than `MAX_DEPTH`) is the 422 problem every invalid input is, with the
problem at the path "", and never FastAPI's 400 (nor a RecursionError for a deep one)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from pitchgen.ask.reading import read_json

__all__ = ["JsonRoute", "is_json"]


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this type as JSON: none given, or `application/*json`."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class JsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def read_first(request: Request) -> Response:
            body = await request.body()
            if body and is_json(request.headers.get("content-type")):
                # Where Starlette keeps the body's data once read: FastAPI takes it from there.
                request._json = read_json(body)
            return await handler(request)

        return read_first
