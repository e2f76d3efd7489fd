"""Answers of the heavy endpoints: computed in the worker pool, shared, cached, given up.

Every heavy answer is a pure function of its request and the shipped data, so equal requests
share one computation while it runs and its JSON bytes are kept afterwards (a byte-bounded
least-recently-used cache). A request that waits for a computation polls its client; when the
last client waiting for a computation has gone, the computation is abandoned (see
:meth:`allegiance.web.pool.Job.abandon`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any, Protocol

from allegiance.web.pool import Job, JobAbandoned, PoolError, TimeLimitExceeded, WorkerPool

__all__ = ["Answers", "ClientDisconnected"]

#: Seconds between checks that the client of a waiting request is still there.
POLL_SECONDS = 0.25
#: Seconds past a job's deadline after which a waiting request stops waiting even if the pool
#: has not answered (a safety net: the pool itself enforces the time limit).
DEADLINE_SLACK = 5.0


class ClientDisconnected(PoolError):
    """The client closed the connection before its answer was ready."""


class _Client(Protocol):
    async def is_disconnected(self) -> bool: ...


class Answers:
    """The heavy endpoints' answers: the pool's jobs, shared while running, then cached.

    Parameters
    ----------
    pool : WorkerPool
        Where the answers are computed.
    max_bytes : int
        Bytes of answers kept; an answer larger than an eighth of it is not kept.
    """

    def __init__(self, pool: WorkerPool, *, max_bytes: int) -> None:
        self.pool = pool
        self.max_bytes = max_bytes
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._running: dict[str, Job] = {}
        self._lock = threading.RLock()  # a done callback may run inside get()'s critical part

    @staticmethod
    def key(fn: Callable[..., Any], args: tuple[Any, ...]) -> str:
        """The cache key of ``fn(*args)``: the function's name and its arguments as JSON."""
        text = json.dumps(args, sort_keys=True, separators=(",", ":"))
        return f"{fn.__module__}.{fn.__qualname__}{text}"

    def cached(self, fn: Callable[..., Any], *args: Any) -> bytes | None:
        """The kept answer of ``fn(*args)``, if any."""
        key = self.key(fn, args)
        with self._lock:
            body = self._cache.get(key)
            if body is not None:
                self._cache.move_to_end(key)
            return body

    async def get(
        self,
        fn: Callable[..., bytes],
        *args: Any,
        client: _Client | None = None,
        time_limit: float | None = None,
    ) -> bytes:
        """The answer of ``fn(*args)``: kept, shared with an equal running job, or computed.

        ``client`` (the request) is polled while waiting; when it has disconnected this raises
        :class:`ClientDisconnected` and, if no other request waits for the job, the job is
        abandoned. Raises the pool's errors (:class:`~allegiance.web.pool.PoolBusy`,
        :class:`~allegiance.web.pool.TimeLimitExceeded`, ...) and the job's own exception.
        """
        body = self.cached(fn, *args)
        if body is not None:
            return body
        key = self.key(fn, args)
        with self._lock:
            job = self._running.get(key)
            if job is None:
                job = self.pool.submit(fn, *args, time_limit=time_limit)
                self._running[key] = job
                job.future.add_done_callback(partial(self._settle, key, job))
            job.join()
        try:
            await _wait(job, client)
        finally:
            job.leave()
        if job.future.cancelled():
            raise JobAbandoned("The computation was abandoned.")
        return job.future.result()  # type: ignore[no-any-return]

    def _settle(self, key: str, job: Job, future: Future[Any]) -> None:
        with self._lock:
            if self._running.get(key) is job:
                del self._running[key]
            if future.cancelled() or future.exception() is not None:
                return
            body = future.result()
            if len(body) > self.max_bytes // 8 or key in self._cache:
                return
            self._cache[key] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._cache.popitem(last=False)
                self._bytes -= len(dropped)


async def _wait(job: Job, client: _Client | None) -> None:
    """Wait for ``job`` without blocking the event loop, watching the client and the clock."""
    loop = asyncio.get_running_loop()
    ready = asyncio.Event()

    def wake(_: Future[Any]) -> None:
        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits there
            loop.call_soon_threadsafe(ready.set)

    job.future.add_done_callback(wake)
    while not job.future.done():
        try:
            await asyncio.wait_for(ready.wait(), POLL_SECONDS)
        except TimeoutError:
            if client is not None and await client.is_disconnected():
                raise ClientDisconnected("The client closed the connection.") from None
            if time.monotonic() > job.deadline + DEADLINE_SLACK:
                raise TimeLimitExceeded(
                    f"The request took longer than {job.time_limit:g} s, the server's time limit."
                ) from None
