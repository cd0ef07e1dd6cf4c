"""A time-ordered job queue for the simulator: run `fn(*args)` once its (speed-scaled) time has come."""
from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(order=True)
class Job:
    at: float
    seq: int
    fn: Callable = field(compare=False)
    args: tuple = field(compare=False, default=())


class Schedule:
    def __init__(self, clock: Callable[[], float], speed: float):
        self.clock = clock  # seconds since the epoch
        self.speed = speed
        self._jobs: list[Job] = []
        self._seq = itertools.count()

    def later(self, seconds: float, fn: Callable, *args) -> None:
        """Run fn(*args) after `seconds` of simulated time (real seconds / speed)."""
        heapq.heappush(self._jobs, Job(self.clock() + seconds / self.speed, next(self._seq), fn, args))

    def due(self) -> Iterator[Job]:
        now = self.clock()
        while self._jobs and self._jobs[0].at <= now:
            yield heapq.heappop(self._jobs)

    def __len__(self) -> int:
        return len(self._jobs)
