"""The worker pool on its own: results, errors, a full queue, deadlines, abandonment, crashes.

Jobs are standard-library functions (``time.sleep`` blocks a worker, ``os.getpid`` names it),
so the workers need no warm-up. No test asserts a wall-clock time; waits for the pool to catch
up are bounded by :func:`_eventually`.
"""

from __future__ import annotations

import operator
import os
import time
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from allegiance.web.pool import (
    JobAbandoned,
    PoolBusy,
    PoolClosed,
    PoolError,
    TimeLimitExceeded,
    WorkerCrashed,
    WorkerPool,
)


def _eventually(condition: Callable[[], bool], what: str, bound: float = 30.0) -> None:
    end = time.monotonic() + bound
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"the pool did not {what} within {bound:g} s")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def shared() -> Iterator[WorkerPool]:
    with WorkerPool(workers=2, queue_length=1, time_limit=30, abandon_grace=0.1) as pool:
        yield pool


@pytest.fixture
def pool(shared: WorkerPool) -> Iterator[WorkerPool]:
    """The shared pool, idle and with every worker up after the test."""
    yield shared
    _eventually(lambda: shared.load() == 0, "become idle")
    _eventually(lambda: all(w.process.is_alive() for w in shared._slots), "restart workers")


def test_results_and_exceptions_come_back(pool: WorkerPool) -> None:
    assert pool.submit(operator.mul, 6, 7).future.result() == 42
    with pytest.raises(ValueError, match="invalid literal for int") as caught:
        pool.submit(int, "x").future.result()
    assert "In worker process" in caught.value.__notes__[0]  # the worker's traceback


def test_a_full_queue_is_refused_with_a_retry_delay(pool: WorkerPool) -> None:
    blocking = [pool.submit(time.sleep, 30) for _ in range(3)]  # two running, one waiting
    with pytest.raises(PoolBusy, match="queue of 1 waiting request") as caught:
        pool.submit(os.getpid)
    assert caught.value.retry_after == pool.retry_after
    for job in blocking:
        job.abandon()
    for job in blocking:  # the waiting one is dropped, the running ones stopped
        assert job.future.cancelled() or isinstance(job.future.exception(), JobAbandoned)


def test_a_job_past_its_time_is_stopped_and_only_its_worker_replaced(pool: WorkerPool) -> None:
    before = set(pool.pids())
    slow = pool.submit(time.sleep, 60, time_limit=0.5)
    in_flight = pool.submit(time.sleep, 1.5)  # on the other worker while `slow` is stopped
    with pytest.raises(TimeLimitExceeded, match=r"still running after 0\.5 s"):
        slow.future.result()
    assert in_flight.future.result() is None  # not dropped
    _eventually(lambda: len(set(pool.pids()) - before) == 1, "replace the stopped worker")
    assert len(set(pool.pids()) & before) == 1  # the other worker lived on
    served_by = {pool.submit(os.getpid).future.result() for _ in range(8)}
    assert served_by <= set(pool.pids())


def test_a_deadline_can_pass_while_waiting(pool: WorkerPool) -> None:
    first = [pool.submit(time.sleep, 1) for _ in range(2)]
    late = pool.submit(os.getpid, time_limit=0.2)
    with pytest.raises(TimeLimitExceeded, match="still waiting for a worker"):
        late.future.result()
    assert [job.future.result() for job in first] == [None, None]


def test_abandoned_jobs_are_dropped_or_their_worker_stopped(pool: WorkerPool) -> None:
    running = [pool.submit(time.sleep, 30) for _ in range(2)]
    waiting = pool.submit(os.getpid)
    waiting.abandon()
    assert waiting.future.cancelled()  # it will never run
    _eventually(lambda: all(j.future.running() for j in running), "start the jobs")
    before = set(pool.pids())
    running[0].join()
    running[0].leave()  # its last waiter left
    with pytest.raises(JobAbandoned):
        running[0].future.result()
    _eventually(lambda: len(set(pool.pids()) - before) == 1, "replace the stopped worker")
    running[1].abandon()
    with pytest.raises(JobAbandoned):
        running[1].future.result()


def test_a_job_with_two_waiters_goes_on_when_one_leaves(pool: WorkerPool) -> None:
    job = pool.submit(time.sleep, 0.5)
    job.join()
    job.join()
    job.leave()
    assert job.future.result() is None


def test_a_crashed_worker_is_replaced(pool: WorkerPool) -> None:
    with pytest.raises(WorkerCrashed, match="exit code 3; it has been replaced"):
        pool.submit(os._exit, 3).future.result()
    assert pool.submit(operator.add, 1, 2).future.result() == 3


def test_close_fails_what_is_left_and_refuses_more() -> None:
    pool = WorkerPool(workers=1, queue_length=1, time_limit=30)
    pool.start()
    running = pool.submit(time.sleep, 30)
    waiting = pool.submit(os.getpid)
    _eventually(running.future.running, "start the job")
    pool.close()
    for job in (running, waiting):
        with pytest.raises(PoolClosed):
            job.future.result()
    with pytest.raises(PoolClosed):
        pool.submit(os.getpid)


def test_a_failing_warm_up_is_reported() -> None:
    pool = WorkerPool(workers=1, queue_length=0, time_limit=30, warmup=partial(int, "x"))
    with pytest.raises(PoolError, match="failed to warm up: ValueError: invalid literal"):
        pool.start()
    assert not pool.started
