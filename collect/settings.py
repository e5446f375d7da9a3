"""How politely and how patiently collection fetches: one dataclass, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version


def _version() -> str:
    try:
        return version("gongkai")
    except PackageNotFoundError:
        return "dev"


@dataclass(frozen=True)
class CollectSettings:
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds to connect, and between two reads of an answer
    retries: int = 2  # more attempts after a 5xx answer or a timeout
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    max_pages: int = 20  # listing pages followed per township
    max_mb: float = 50.0  # a file over this is not saved (the parse limit, GONGKAI_MAX_MB)
    hosts_in_parallel: int = 4  # different hosts are visited at once, each at its own pace
    user_agent: str = f"gongkai/{_version()} (county annual-report collector)"

    @classmethod
    def from_env(cls) -> CollectSettings:
        """GONGKAI_FETCH_DELAY, GONGKAI_FETCH_TIMEOUT, GONGKAI_FETCH_RETRIES, GONGKAI_FETCH_BACKOFF,
        GONGKAI_FETCH_MAX_PAGES and GONGKAI_MAX_MB over the defaults; a value that is not a number keeps the
        default."""
        names = {
            "delay": "GONGKAI_FETCH_DELAY",
            "timeout": "GONGKAI_FETCH_TIMEOUT",
            "retries": "GONGKAI_FETCH_RETRIES",
            "backoff": "GONGKAI_FETCH_BACKOFF",
            "max_pages": "GONGKAI_FETCH_MAX_PAGES",
            "max_mb": "GONGKAI_MAX_MB",
        }
        values = {}
        for f in fields(cls):
            raw = os.environ.get(names.get(f.name, ""), "")
            if raw:
                try:
                    values[f.name] = type(f.default)(float(raw)) if f.type != "str" else raw
                except ValueError:
                    pass
        return cls(**values)
