"""`GET /metrics`: Prometheus text, behind the API keys like `/v1` (the guard's `PROTECTED`).

Counted here: requests by route template (never a raw path, which holds ids) and status, and
their latency; drafts by channel, source and fallback reason; model calls by outcome, their
tokens, latency, retries, re-asks and estimated cost by model; the model circuit's state; sends
by channel and outcome; and the batch queue's depth (items queued and running, over every
batch). No label holds ask text, draft text or a secret: every value comes from a short fixed
list (routes, statuses, channels, reasons, item states) or the operator's model names.

With `pitchgen serve --workers N` each worker writes its numbers to files in
`PROMETHEUS_MULTIPROC_DIR` (set by `serve` when the operator has not) and a scrape, answered by
any worker, adds them up. The queue depth is not a number a worker keeps: it is read from the
store when a scrape comes (`QueueDepth`), so whichever worker answers tells the same, whole
count. This module imports prometheus_client: only the server imports it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response

from pitchgen import telemetry
from pitchgen.errors import StoreError

__all__ = ["MULTIPROC_ENV", "PATH", "Metrics", "QueueDepth", "install", "process_exited"]

PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_CIRCUIT = {"closed": 0, "half_open": 1, "open": 2}


class Metrics(telemetry.Observer):
    """The process's metrics (made once: prometheus_client's registry is the process's)."""

    def __init__(self) -> None:
        self.requests = Counter(
            "pitchgen_http_requests_total",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
        )
        self.request_seconds = Histogram(
            "pitchgen_http_request_duration_seconds",
            "Time from a request's arrival to its response's end, by route template.",
            ["route", "method"],
            buckets=_SECONDS,
        )
        self.drafts = Counter(
            "pitchgen_drafts_total",
            "Drafts made, by channel, source (llm or template) and fallback reason.",
            ["channel", "source", "fallback_reason"],
        )
        self.llm_calls = Counter(
            "pitchgen_llm_calls_total",
            "Model calls by outcome: accepted, rejected (failed the checks), failed (no answer).",
            ["outcome"],
        )
        self.llm_tokens = Counter(
            "pitchgen_llm_tokens_total", "Tokens the model reported, by kind.", ["kind"]
        )
        self.llm_seconds = Histogram(
            "pitchgen_llm_latency_seconds",
            "Time of one model call, its retries included.",
            buckets=_SECONDS,
        )
        self.llm_retries = Counter(
            "pitchgen_llm_retries_total", "Transport retries within model calls."
        )
        self.llm_reasks = Counter("pitchgen_llm_reasks_total", "Model calls that re-asked.")
        self.llm_cost = Counter(
            "pitchgen_llm_cost_total",
            "Estimated model cost at PITCHGEN_PRICES, in the price table's currency, by model.",
            ["model"],
        )
        self.circuit_state = Gauge(
            "pitchgen_llm_circuit_state",
            "The model circuit breaker: 0 closed, 1 half-open, 2 open (the worst worker's).",
            multiprocess_mode="livemax",
        )
        self.sends = Counter(
            "pitchgen_sends_total",
            "Sends (emails sent, calls and meetings marked done) by channel and outcome.",
            ["channel", "outcome"],
        )
        self._request_children: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, str(status))
        children = self._request_children.get(key)
        if children is None:
            children = (
                self.requests.labels(*key),
                self.request_seconds.labels(route, method),
            )
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def model_call(self, **call: Any) -> None:
        self.llm_calls.labels(call["outcome"]).inc()
        self.llm_seconds.observe(call["seconds"])
        self.llm_tokens.labels("prompt").inc(call["prompt_tokens"])
        self.llm_tokens.labels("completion").inc(call["completion_tokens"])
        if call["retries"]:
            self.llm_retries.inc(call["retries"])
        if call["reask"]:
            self.llm_reasks.inc()
        if call["cost"] is not None:
            self.llm_cost.labels(call["model"] or "unknown").inc(call["cost"])

    def drafted(self, *, channel: str, source: str, fallback_reason: str | None) -> None:
        self.drafts.labels(channel, source, fallback_reason or "none").inc()

    def sent(self, *, channel: str, outcome: str) -> None:
        self.sends.labels(channel, outcome).inc()

    def circuit(self, state: str) -> None:
        self.circuit_state.set(_CIRCUIT.get(state, 0))


class QueueDepth(Collector):
    """`pitchgen_batch_queue_depth{state}`: batch items queued and running, as the store counts
    them when asked (`depth`); nothing when the store cannot answer, rather than a made-up 0."""

    def __init__(self, depth: Mapping[str, int] | None) -> None:
        self._depth = depth

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self._depth is None:
            return
        gauge = GaugeMetricFamily(
            "pitchgen_batch_queue_depth",
            "Batch items waiting to be drafted (queued) and being drafted (running), every batch.",
            labels=["state"],
        )
        for state in ("queued", "running"):
            gauge.add_metric([state], self._depth.get(state, 0))
        yield gauge


_metrics: list[Metrics] = []


def install(app: FastAPI, queue_depth: Callable[[], Mapping[str, int]] | None = None) -> Metrics:
    """Count this process's work, and serve `GET /metrics` from `app`; `queue_depth` (a store
    read) is asked at each scrape."""
    if not _metrics:
        _metrics.append(Metrics())
    metrics = _metrics[0]
    telemetry.install(metrics)

    @app.get(PATH, include_in_schema=False)
    async def scrape() -> Response:
        depth = None
        if queue_depth is not None:
            # The readiness probe says why the store cannot answer; the rest still does.
            with contextlib.suppress(StoreError):
                depth = await run_in_threadpool(queue_depth)  # may wait on the database
        return Response(exposition(QueueDepth(depth)), media_type=CONTENT_TYPE_LATEST)

    return metrics


def exposition(*extra: Collector) -> bytes:
    """Every worker's numbers with `--workers`, else this process's; then `extra`'s, collected
    now (read from the store, so the same whichever worker answers)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    return counted + b"".join(generate_latest(collector) for collector in extra)


def process_exited() -> None:
    """A worker leaving: its live gauges stop counting."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())
