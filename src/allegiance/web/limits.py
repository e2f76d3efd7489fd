"""The web server's limits: body size, workers, queue, time, cache and landscape size.

Every limit is a documented constant here; :class:`ServerLimits` bundles the ones a user may
change (``allegiance serve --workers --queue-length --time-limit``). The values are chosen so
that every request inside the API's own parameter limits is answered inside the time limit on a
laptop: the slowest measured (a cold run of the bundled study, about 40 s; the whole directed
dyad-year panel with every family, about 10 s; an exact landscape at
:data:`MAX_EXACT_CONFIGURATIONS` with all-zero propensities, every configuration stable, about
40 s) stay under :data:`TIME_LIMIT`.
"""

from __future__ import annotations

from dataclasses import dataclass

from allegiance.errors import ParameterError

__all__ = [
    "ABANDON_GRACE",
    "CACHE_BYTES",
    "MAX_BODY_BYTES",
    "MAX_EXACT_ACTORS",
    "MAX_EXACT_CONFIGURATIONS",
    "QUEUE_LENGTH",
    "RETRY_AFTER",
    "TIME_LIMIT",
    "WARMUP_TIME_LIMIT",
    "WORKERS",
    "ServerLimits",
]

#: Largest request body read, in bytes; larger bodies get 413 before they are read. The
#: largest valid body (a 16-actor landscape written with 17 significant digits) is about 7 KB.
MAX_BODY_BYTES = 64 * 1024
#: Worker processes that compute the heavy requests (``allegiance serve --workers``).
WORKERS = 2
#: Heavy requests that may wait for a worker besides those running (``--queue-length``); one
#: more gets 503 with ``Retry-After``. Fifty concurrent dashboard clients fit.
QUEUE_LENGTH = 64
#: Seconds a heavy request may run in a worker (``--time-limit``); past it the answer is 504
#: and the worker process is replaced. A request that waits this long for a worker gets 504
#: without running, so none takes more than twice this.
TIME_LIMIT = 60.0
#: Seconds the start-up warm-up may take: each worker's, and the dashboard's first answers
#: (the bundled study on an empty study cache is the longest).
WARMUP_TIME_LIMIT = 900.0
#: Seconds a client is asked to wait after a 503 (the ``Retry-After`` header).
RETRY_AFTER = 5
#: Seconds an abandoned computation may go on before its worker is terminated: a short one
#: finishes (and is cached) rather than cost a worker restart.
ABANDON_GRACE = 2.0
#: Bytes of answers the server keeps (least recently used dropped first).
CACHE_BYTES = 64 * 1024 * 1024
#: Actors of an exact landscape sent to ``POST /api/landscape``.
MAX_EXACT_ACTORS = 16
#: Configurations an exact landscape may enumerate, ``n_blocs ** (actors - 1)``: 16 actors
#: in 2 blocs, 13 in 3 or 11 in 4. Above it the API answers 422.
MAX_EXACT_CONFIGURATIONS = 2**20


@dataclass(frozen=True)
class ServerLimits:
    """The limits a user may change, with the documented defaults.

    Parameters
    ----------
    workers : int
        Worker processes for the heavy requests (1-16).
    queue_length : int
        Heavy requests that may wait besides the running ones (0 or more).
    time_limit : float
        Seconds a heavy request may run, and may wait for a worker (> 0).
    max_body_bytes : int
        Largest request body in bytes (> 0).

    Examples
    --------
    >>> ServerLimits().workers, ServerLimits().time_limit
    (2, 60.0)
    >>> ServerLimits(workers=0)
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: The 'workers' limit of the web server must be between 1
    and 16. Got 0 instead.
    """

    workers: int = WORKERS
    queue_length: int = QUEUE_LENGTH
    time_limit: float = TIME_LIMIT
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        checks = (("workers", 1 <= self.workers <= 16, "be between 1 and 16"),
                  ("queue_length", self.queue_length >= 0, "be 0 or more"),
                  ("time_limit", self.time_limit > 0, "be positive"),
                  ("max_body_bytes", self.max_body_bytes > 0, "be positive"))  # fmt: skip
        for name, ok, allowed in checks:
            if not ok:
                raise ParameterError(
                    f"The {name!r} limit of the web server must {allowed}. "
                    f"Got {getattr(self, name)!r} instead."
                )
