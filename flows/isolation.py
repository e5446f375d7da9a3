"""Parsing one file in a forked child under a time and a memory limit, so that a PDF that makes the
parser hang or eat memory costs one killed process and a PARSE_TIMEOUT row, never the run.

os.fork rather than multiprocessing: Dask runs tasks in daemonic processes, which multiprocessing
forbids to have children, and a fork needs no re-import, so it costs milliseconds.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass

from parsers import Report, ReportError, parse_pdf


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0
    memory_mb: int = 1024  # on top of what the process already maps
    # An annual report is a few hundred KB and under twenty pages; far more is something else.
    max_mb: float = 50.0
    max_pages: int = 60

    @classmethod
    def from_env(cls) -> Limits:
        """GONGKAI_PARSE_TIMEOUT (s), GONGKAI_PARSE_MEMORY_MB, GONGKAI_MAX_MB, GONGKAI_MAX_PAGES override."""
        env = os.environ.get
        return cls(
            float(env("GONGKAI_PARSE_TIMEOUT", cls.seconds)),
            int(env("GONGKAI_PARSE_MEMORY_MB", cls.memory_mb)),
            float(env("GONGKAI_MAX_MB", cls.max_mb)),
            int(env("GONGKAI_MAX_PAGES", cls.max_pages)),
        )


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(path: str, limits: Limits, write_fd: int) -> None:
    try:
        cap = _address_space() + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            result: tuple = ("ok", parse_pdf(path))
        except ReportError as err:
            result = ("rejected", err.reason, err.message)
        except MemoryError:
            result = ("memory",)
        except Exception as exc:  # a parser bug: reported as such, the run goes on
            result = ("crash", f"{type(exc).__name__}: {exc}")
        data = pickle.dumps(result)
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(data)
    finally:
        os._exit(0)


def parse_limited(path: str, limits: Limits) -> Report:
    """parse_pdf in a killable child. Raises ReportError (PARSE_TIMEOUT, PARSE_ERROR or the parser's)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(path, limits, write_fd)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limits.seconds
    timed_out = False
    with os.fdopen(read_fd, "rb", buffering=0) as fh:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([fh], [], [], left)
            if not ready:
                continue
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        raise ReportError("PARSE_TIMEOUT", f"解析超过 {limits.seconds:g} 秒仍未完成，已终止。")
    if not chunks:
        how = f"信号 {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"退出码 {os.WEXITSTATUS(status)}"
        raise ReportError("PARSE_TIMEOUT", f"解析进程异常终止（{how}），可能超过内存上限 {limits.memory_mb} MB。")
    result = pickle.loads(b"".join(chunks))
    if result[0] == "ok":
        return result[1]
    if result[0] == "rejected":
        raise ReportError(result[1], result[2])
    if result[0] == "memory":
        raise ReportError("PARSE_TIMEOUT", f"解析时内存超过上限 {limits.memory_mb} MB，已终止。")
    raise ReportError("PARSE_ERROR", f"解析程序出错：{result[1]}")
