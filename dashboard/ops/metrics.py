"""Process counters, rendered in the Prometheus text format for GET /metrics."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable


class Metrics:
    def __init__(self) -> None:
        self._counters: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
        self._gauges: dict[str, Callable[[], float]] = {}
        self._lock = threading.Lock()

    def inc(self, name: str, amount: float = 1, **labels: str) -> None:
        with self._lock:
            self._counters[(name, tuple(sorted(labels.items())))] += amount

    def gauge(self, name: str, read: Callable[[], float]) -> None:
        self._gauges[name] = read

    def value(self, name: str, **labels: str) -> float:
        return self._counters.get((name, tuple(sorted(labels.items()))), 0)

    def render(self) -> str:
        lines = []
        with self._lock:
            items = sorted(self._counters.items())
        for (name, labels), value in items:
            label_text = ",".join(f'{k}="{v}"' for k, v in labels)
            lines.append(f"gridcmd_{name}{{{label_text}}} {value:g}" if labels else f"gridcmd_{name} {value:g}")
        for name, read in sorted(self._gauges.items()):
            try:
                value = float(read())
            except Exception:  # a gauge that cannot be read now is left out, not a failed scrape
                continue
            if value == value:  # NaN: not available on this platform
                lines.append(f"gridcmd_{name} {value:g}")
        return "\n".join(lines) + "\n"
