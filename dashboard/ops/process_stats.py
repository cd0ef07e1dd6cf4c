"""This process's resident memory and thread count, for /metrics: a wall server runs for weeks, leaks show here."""
from __future__ import annotations

import os
import threading


def resident_bytes() -> float:
    """Current resident set size (Linux /proc); NaN where there is no /proc, so the gauge is left out."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return float("nan")


def thread_count() -> float:
    return threading.active_count()
