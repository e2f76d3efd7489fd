"""A supervisor of warm worker processes: a bounded queue, a time limit per job, cancellation.

Why processes, and why not :class:`concurrent.futures.ProcessPoolExecutor`: a thread cannot be
stopped, and the executor cannot stop a running task without breaking the whole pool. Here each
worker is one long-lived process with a pipe to the server and one keeper thread in the server
that feeds it jobs from a shared queue. A job that runs longer than its time limit, or that
every client has abandoned, has its worker process terminated; the keeper then starts a warm
replacement, while the other workers go on with their jobs. A job that waits longer than its
time limit for a worker is answered without running (the server is overloaded), so no job
takes more than twice its limit, and a worker is stopped only for a job that really ran long.

The pool knows nothing of HTTP: it runs picklable module-level functions and returns their
results (or re-raises their exceptions) through :class:`concurrent.futures.Future` objects, so
it works from any thread or event loop.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

__all__ = [
    "Job",
    "JobAbandoned",
    "PoolBusy",
    "PoolClosed",
    "PoolError",
    "TimeLimitExceeded",
    "WorkerCrashed",
    "WorkerPool",
]

#: Seconds between a keeper's checks of its running job's deadline and abandonment.
POLL_SECONDS = 0.05


class PoolError(Exception):
    """A job could not be computed for a reason of the server, not of its input."""


class PoolBusy(PoolError):
    """Every worker is busy and the queue is full; ``retry_after`` seconds is a fair wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PoolClosed(PoolError):
    """The pool is shutting down."""


class TimeLimitExceeded(PoolError):
    """The job ran (or waited for a worker) longer than its time limit; a worker that was
    running it has been replaced."""


class JobAbandoned(PoolError):
    """Every client waiting for the job left, so it was dropped or its worker terminated."""


class WorkerCrashed(PoolError):
    """The worker process computing the job died (out of memory, a signal); it was replaced."""


class Job:
    """One computation in the pool: the function, its time limit, its result and its waiters.

    ``future`` holds the result (or the exception) of ``fn(*args)``. Callers that share the job
    :meth:`join` it and :meth:`leave` it; when the last one leaves before the result, the job
    is :meth:`abandon`-ed.
    """

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], time_limit: float) -> None:
        self.fn = fn
        self.args = args
        self.time_limit = time_limit
        self.submitted = time.monotonic()
        self.started: float | None = None
        self.future: Future[Any] = Future()
        self.abandoned_at: float | None = None
        self._lock = threading.Lock()
        self._waiters = 0

    def join(self) -> None:
        """One more caller waits for this job."""
        with self._lock:
            self._waiters += 1

    def leave(self) -> None:
        """A caller stops waiting; the last one to leave before the result abandons the job."""
        with self._lock:
            self._waiters -= 1
            last = self._waiters <= 0
        if last and not self.future.done():
            self.abandon()

    @property
    def deadline(self) -> float:
        """When the pool gives the job up: ``time_limit`` after it started, or after it was
        submitted while it waits."""
        return (self.submitted if self.started is None else self.started) + self.time_limit

    def abandon(self) -> None:
        """Give the job up: dropped if still queued, its worker terminated if running."""
        with self._lock:
            if self.abandoned_at is None:
                self.abandoned_at = time.monotonic()
        self.future.cancel()  # succeeds only while queued: then it never runs


@dataclass
class _Worker:
    """A worker process and the server's end of its pipe."""

    process: BaseProcess
    conn: Connection
    started: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        return int(self.process.pid or 0)

    def terminate(self) -> None:
        """Stop the process at once: it may be in native code, so no cooperative stop."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
            if self.process.is_alive():
                self.process.kill()
        self.process.join(1.0)

    def stop(self) -> None:
        """Terminate the process and close the pipe."""
        self.terminate()
        self.conn.close()


class WorkerPool:
    """A fixed number of warm worker processes with a bounded queue and per-job time limits.

    Parameters
    ----------
    workers : int
        Worker processes; each computes one job at a time.
    queue_length : int
        Jobs that may wait besides the ``workers`` running ones; :meth:`submit` raises
        :class:`PoolBusy` above ``workers + queue_length`` jobs in the pool.
    time_limit : float
        Default seconds a job may run, and may wait for a worker.
    warmup : callable, optional
        A picklable module-level function each worker runs before it takes jobs (imports,
        compiled kernels, caches); a replacement worker runs it too.
    warmup_time_limit : float
        Seconds a worker's warm-up may take.
    retry_after : int
        Seconds suggested to a caller refused by a full queue.
    abandon_grace : float
        Seconds an abandoned running job may go on before its worker is terminated.

    Examples
    --------
    >>> import operator
    >>> with WorkerPool(workers=1, queue_length=0, time_limit=30) as pool:
    ...     pool.submit(operator.mul, 6, 7).future.result()
    42
    """

    def __init__(
        self,
        *,
        workers: int,
        queue_length: int,
        time_limit: float,
        warmup: Callable[[], Any] | None = None,
        warmup_time_limit: float = 300.0,
        retry_after: int = 5,
        abandon_grace: float = 2.0,
    ) -> None:
        self.workers = workers
        self.queue_length = queue_length
        self.time_limit = time_limit
        self.warmup = warmup
        self.warmup_time_limit = warmup_time_limit
        self.retry_after = retry_after
        self.abandon_grace = abandon_grace
        self._context = multiprocessing.get_context("spawn")
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._slots: list[_Worker] = []
        self._threads: list[threading.Thread] = []
        self._in_pool = 0
        self._started = False
        self._closed = False
        self.counts = {"done": 0, "failed": 0, "timed_out": 0, "abandoned": 0, "crashed": 0,
                       "refused": 0, "replaced": 0}  # fmt: skip

    # ----------------------------------------------------------------------- lifecycle

    @property
    def started(self) -> bool:
        """Whether the workers are up and warm."""
        return self._started

    def start(self) -> None:
        """Start every worker, wait until all are warm, then start taking jobs.

        Safe to call more than once and from several threads. Raises :class:`PoolError` when
        a worker's warm-up fails or takes longer than ``warmup_time_limit``.
        """
        with self._start_lock:
            if self._started:
                return
            if self._closed:
                raise PoolClosed("The worker pool is closed.")
            pending = [self._launch() for _ in range(self.workers)]
            try:
                self._slots = [self._await_ready(worker) for worker in pending]
            except PoolError:
                for worker in pending:
                    worker.stop()
                raise
            for index in range(self.workers):
                thread = threading.Thread(target=self._keep, args=(index,), daemon=True,
                                          name=f"allegiance-worker-{index}")  # fmt: skip
                thread.start()
                self._threads.append(thread)
            self._started = True

    def close(self) -> None:
        """Stop taking jobs, fail the queued ones with :class:`PoolClosed`, stop the workers."""
        with self._start_lock:
            if self._closed:
                return
            self._closed = True
        for _ in self._threads:
            self._queue.put(None)
        for worker in list(self._slots):
            worker.terminate()  # a keeper waiting on it sees the pipe close and returns
        for thread in self._threads:
            thread.join(5.0)
        for worker in list(self._slots):
            worker.stop()
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(PoolClosed("The server is shutting down."))

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        """Process ids of the current workers (a replaced worker gets a new one)."""
        return [worker.pid for worker in self._slots]

    def load(self) -> int:
        """Jobs in the pool: running plus waiting."""
        return self._in_pool

    # ----------------------------------------------------------------------- jobs

    def submit(self, fn: Callable[..., Any], *args: Any, time_limit: float | None = None) -> Job:
        """Queue ``fn(*args)`` and return its :class:`Job` (its ``future`` has the result).

        ``fn`` and ``args`` must be picklable (a module-level function and plain values).
        Raises :class:`PoolBusy` when ``workers + queue_length`` jobs are already in the pool,
        :class:`PoolClosed` after :meth:`close`.
        """
        limit = self.time_limit if time_limit is None else time_limit
        with self._lock:
            if self._closed:
                raise PoolClosed("The server is shutting down.")
            if self._in_pool >= self.workers + self.queue_length:
                self.counts["refused"] += 1
                raise PoolBusy(
                    f"The server is busy: its {self.workers} worker(s) are computing and its "
                    f"queue of {self.queue_length} waiting request(s) is full. Retry in "
                    f"{self.retry_after} s.",
                    self.retry_after,
                )
            self._in_pool += 1
        job = Job(fn, args, limit)
        job.future.add_done_callback(self._settled)
        self._queue.put(job)
        return job

    def _settled(self, future: Future[Any]) -> None:
        with self._lock:
            self._in_pool -= 1
            if future.cancelled():
                self.counts["abandoned"] += 1

    def _count(self, name: str) -> None:
        with self._lock:
            self.counts[name] += 1

    # ----------------------------------------------------------------------- keepers

    def _keep(self, index: int) -> None:
        """The keeper of worker ``index``: feed it jobs, enforce time limits, replace it."""
        while True:
            job = self._queue.get()
            if job is None or self._closed:
                if job is not None and job.future.set_running_or_notify_cancel():
                    job.future.set_exception(PoolClosed("The server is shutting down."))
                return
            if not job.future.set_running_or_notify_cancel():
                continue  # abandoned while it waited
            if job.abandoned_at is not None:
                self._fail(job, JobAbandoned(_GONE), "abandoned")
                continue
            if time.monotonic() >= job.deadline:
                self._fail(job, TimeLimitExceeded(_late(job, running=False)), "timed_out")
                continue
            try:
                kept = self._run(index, job)
            except Exception as exc:  # a fault of the pool itself: fail the job, not the slot
                if not job.future.done():
                    self._fail(job, exc, "failed")
                kept = False
            if not kept and not self._replace(index):
                return

    def _fail(self, job: Job, exc: BaseException, count: str) -> None:
        self._count(count)
        job.future.set_exception(exc)

    def _run(self, index: int, job: Job) -> bool:
        """Run ``job`` on worker ``index``; False when the worker had to be stopped."""
        worker = self._slots[index]
        job.started = time.monotonic()
        try:
            worker.conn.send((job.fn, job.args))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            self._fail(job, exc, "failed")
            return True
        except OSError:  # the worker died while idle
            self._crash(job, worker)
            return False
        while True:
            try:
                ready = worker.conn.poll(POLL_SECONDS)
            except OSError:
                ready = True  # recv() reports the closed pipe
            if ready:
                return self._receive(worker, job)
            now = time.monotonic()
            given_up = job.abandoned_at
            abandoned = given_up is not None and now >= given_up + self.abandon_grace
            if abandoned or now >= job.deadline:
                worker.stop()
                if abandoned:
                    self._fail(job, JobAbandoned(_GONE), "abandoned")
                else:
                    self._fail(job, TimeLimitExceeded(_late(job, running=True)), "timed_out")
                return False
            if not worker.process.is_alive():
                self._crash(job, worker)
                return False

    def _crash(self, job: Job, worker: _Worker) -> None:
        worker.process.join(1.0)
        if self._closed:
            self._fail(job, PoolClosed("The server is shutting down."), "failed")
        else:
            self._fail(job, WorkerCrashed(_crashed(worker)), "crashed")

    def _receive(self, worker: _Worker, job: Job) -> bool:
        try:
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            self._crash(job, worker)
            return False
        except Exception as exc:  # a result that cannot be unpickled here
            self._fail(job, exc, "failed")
            return True
        if status == "ok":
            self._count("done")
            job.future.set_result(value)
        else:
            self._fail(job, value, "failed")
        return True

    def _replace(self, index: int) -> bool:
        """Start a warm worker in slot ``index``; False when the pool is closing."""
        self._slots[index].stop()
        while not self._closed:
            try:
                self._slots[index] = self._await_ready(self._launch())
            except PoolError as exc:
                print(f"allegiance: a worker failed to restart ({exc}); retrying.", file=sys.stderr)
                time.sleep(1.0)
                continue
            self._count("replaced")
            if self._closed:
                self._slots[index].stop()
                return False
            return True
        return False

    # ----------------------------------------------------------------------- processes

    def _launch(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_serve, args=(child, self.warmup), daemon=True,
                                        name="allegiance-worker")  # fmt: skip
        process.start()
        child.close()
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker) -> _Worker:
        remaining = self.warmup_time_limit - (time.monotonic() - worker.started)
        try:
            ready = worker.conn.poll(max(0.0, remaining))
            status, value = worker.conn.recv() if ready else ("slow", None)
        except (EOFError, OSError):
            status, value = "died", None
        if status == "ready":
            return worker
        worker.stop()
        if status == "slow":
            raise PoolError(f"A worker took longer than {self.warmup_time_limit:g} s to warm up.")
        if status == "died":
            code = worker.process.exitcode
            raise PoolError(f"A worker died while warming up (exit code {code}).")
        raise PoolError(f"A worker failed to warm up: {value}")


_GONE = "Every client waiting for this job left."


def _late(job: Job, *, running: bool) -> str:
    if running:
        return (
            f"The request was still running after {job.time_limit:g} s, the server's time "
            "limit; it was stopped. Ask for less (fewer years, states, draws or actors)."
        )
    return (
        f"The request was still waiting for a worker after {job.time_limit:g} s, the "
        "server's time limit: the server is overloaded. Retry later."
    )


def _crashed(worker: _Worker) -> str:
    code = worker.process.exitcode
    hint = " (killed: the system may have run out of memory)" if code == -9 else ""
    return (
        f"The worker process computing this request stopped unexpectedly with exit code "
        f"{code}{hint}; it has been replaced."
    )


# --------------------------------------------------------------------------- worker side


def _serve(conn: Connection, warmup: Callable[[], Any] | None) -> None:
    """A worker process's main loop: warm up, then run jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    try:
        if warmup is not None:
            warmup()
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the server has gone
        try:
            fn, args = pickle.loads(message)
            reply: tuple[str, Any] = ("ok", fn(*args))
        except Exception as exc:
            reply = ("error", _portable(exc))
        try:
            try:
                conn.send(reply)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                conn.send(("error", _portable(exc)))
        except OSError:
            return  # the server has gone


def _portable(exc: BaseException) -> BaseException:
    """``exc`` with the worker's traceback as a note, or a RuntimeError if it cannot travel."""
    note = f"In worker process {os.getpid()}:\n{''.join(traceback.format_exception(exc))}"
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:
        copy = RuntimeError(f"{type(exc).__name__}: {exc}")
    copy.add_note(note)
    return copy  # type: ignore[no-any-return]
