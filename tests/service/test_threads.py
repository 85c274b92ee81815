"""The service's hop to a worker thread: what it carries, and that nothing it starts is left
running when its caller is cancelled."""

from __future__ import annotations

import asyncio
import contextvars
import os
import signal
import threading

import pytest

from pitchgen.service.threads import in_thread

request_id = contextvars.ContextVar("request_id", default="")


async def test_the_work_runs_in_another_thread_with_its_arguments() -> None:
    def work(a: int, *, b: int) -> tuple[int, bool]:
        return a + b, threading.current_thread() is threading.main_thread()

    assert await in_thread(work, 2, b=3) == (5, False)


async def test_the_callers_context_variables_go_with_the_work() -> None:
    # The request id written on every audit event of a request is a context variable.
    request_id.set("req-7")
    assert await in_thread(request_id.get) == "req-7"


async def test_the_works_error_reaches_the_caller() -> None:
    def fail() -> None:
        raise LookupError("no such draft")

    with pytest.raises(LookupError, match="no such draft"):
        await in_thread(fail)


async def test_a_cancelled_caller_waits_for_the_work_to_finish_then_is_cancelled() -> None:
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def write() -> None:
        started.set()
        release.wait()
        finished.set()

    task = asyncio.create_task(in_thread(write))
    await asyncio.get_running_loop().run_in_executor(None, started.wait)
    task.cancel()
    for _ in range(5):  # turns of the loop: the cancellation has been delivered meanwhile
        await asyncio.sleep(0)
    assert not task.done(), "the caller went on while its write was still running"
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert finished.is_set()


def test_a_forked_child_gets_its_own_workers() -> None:
    # The parent's pool is made first; the child has its bookkeeping but none of its threads.
    assert asyncio.run(in_thread(os.getpid)) == os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        signal.alarm(20)  # a child whose work never runs is killed, not left hanging
        os._exit(0 if asyncio.run(in_thread(os.getpid)) == os.getpid() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
