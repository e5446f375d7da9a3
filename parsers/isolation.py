"""Parsing files in forked children under a time and a memory limit, so that a PDF that makes the
parser hang or eat memory costs one killed process and a PARSE_TIMEOUT row, never the run; and
`parse_files`, every way a file can fail turned into a reason (`Parsed`), for the run's parse tasks and
for `gongkai init`.

The parse tasks run in threads of the flow's process, or in Dask's worker processes; either way they
fork. os.fork rather than multiprocessing: Dask runs tasks in daemonic processes, which multiprocessing
forbids to have children, and a fork needs no re-import.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import resource
import select
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.options import Limits
from gongkai.parsers import Report, ReportError, parse_report
from gongkai.parsers.sources import scan
from gongkai.parsers.sources.pdf import preload_cmaps


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _outcome(path: str) -> tuple:
    try:
        return ("ok", parse_report(path))
    except ReportError as err:
        return ("rejected", err.reason, err.message)
    except MemoryError:
        return ("memory",)
    except Exception as exc:  # a parser bug: reported as such, the run goes on
        return ("crash", f"{type(exc).__name__}: {exc}")


def _child(paths: list[str], limits: Limits, write_fd: int) -> None:
    """Parse `paths` in order, writing each outcome as a length-prefixed pickle; stop after a memory error."""
    try:
        _close_inherited(write_fd)
        cap = _address_space() + limits.memory_mb * 1024 * 1024
        ocr_cap = cap + limits.ocr_memory_mb * 1024 * 1024
        # The hard limit leaves room for OCR; the soft one is raised to it only while a file is OCR'd.
        resource.setrlimit(resource.RLIMIT_AS, (cap, ocr_cap))
        with os.fdopen(write_fd, "wb") as fh:

            def send(message: tuple) -> None:
                data = pickle.dumps(message)
                fh.write(len(data).to_bytes(8, "little") + data)
                fh.flush()

            def before_ocr(pages: int) -> None:
                # The parent adds the pages' time to the file's deadline; the memory is raised here.
                send(("more_time", pages * limits.ocr_seconds_per_page))
                resource.setrlimit(resource.RLIMIT_AS, (ocr_cap, ocr_cap))

            scan.before_ocr = before_ocr
            for path in paths:
                resource.setrlimit(resource.RLIMIT_AS, (cap, ocr_cap))
                outcome = _outcome(path)
                send(outcome)
                if outcome[0] == "memory":
                    break
    finally:
        os._exit(0)


class _Died(Exception):
    """The child ended (or was killed) before answering."""


def _read_exactly(fd: int, n: int, deadline: float) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise _Died
        buf += chunk
    return bytes(buf)


def _receive(fd: int, deadline: float) -> tuple:
    size = int.from_bytes(_read_exactly(fd, 8, deadline), "little")
    return pickle.loads(_read_exactly(fd, size, deadline))


def _as_result(outcome: tuple, limits: Limits) -> Report | ReportError:
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "rejected":
        return ReportError(outcome[1], outcome[2])
    if outcome[0] == "memory":
        return ReportError("PARSE_TIMEOUT", "解析时内存超过上限，已终止。")
    return ReportError("PARSE_ERROR", f"解析程序出错：{outcome[1]}")


_fork_lock = threading.Lock()


def _fork() -> int:
    """os.fork from a process whose other threads (Prefect's, DuckDB's) do not follow into the child.
    Their objects do, unreachable there: frozen, the child's garbage collector leaves them alone instead
    of running their finalizers (a Prefect coroutine's "Task was destroyed" on the terminal)."""
    with _fork_lock:
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid:
            gc.unfreeze()  # the parent collects as before; only the child keeps them frozen
        return pid


def parse_many(paths: list[str], limits: Limits) -> Iterator[tuple[str, Report | ReportError]]:
    """Each path's report or the ReportError saying why not, in order.

    One forked child parses the whole list (a fork per file cost about a third of a parse); when a file
    runs over the time limit, or kills the child, that file gets PARSE_TIMEOUT and a new child takes
    the rest.
    """
    pending = list(paths)
    preload_cmaps()  # once per process (pdfminer keeps them), before forking: no child loads them again
    while pending:
        read_fd, write_fd = os.pipe()
        pid = _fork()
        if pid == 0:
            os.close(read_fd)
            _child(pending, limits, write_fd)
        os.close(write_fd)
        try:
            while pending:
                path = pending[0]
                deadline = time.monotonic() + limits.seconds
                try:
                    outcome = _receive(read_fd, deadline)
                    while outcome[0] == "more_time":  # a file OCR reads: its pages' time on top
                        deadline += outcome[1]
                        outcome = _receive(read_fd, deadline)
                except TimeoutError:
                    pending.pop(0)
                    yield path, ReportError("PARSE_TIMEOUT", f"解析超过 {limits.seconds:g} 秒仍未完成，已终止。")
                    break
                except _Died:
                    pending.pop(0)
                    yield (
                        path,
                        ReportError("PARSE_TIMEOUT", f"解析进程异常终止，可能超过内存上限 {limits.memory_mb} MB。"),
                    )
                    break
                pending.pop(0)
                yield path, _as_result(outcome, limits)
                if outcome[0] == "memory":
                    break  # the child stops after a memory error; a fresh one takes the rest
        finally:
            os.close(read_fd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _close_inherited(keep: int) -> None:
    # Forked from a process with other threads forking too: drop every inherited descriptor (a
    # sibling's pipe, the warehouse, its lock) so that each pipe ends when its own child does.
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


def in_child(function: Callable[..., Any], *args: Any, seconds: float = 3600.0) -> Any:
    """`function(*args)` computed in a forked child and its result pickled back: work that holds the GIL
    (drawing charts) uses another core while the calling thread waits. An exception in the child, or its
    death, is raised here as a RuntimeError saying what happened."""
    read_fd, write_fd = os.pipe()
    pid = _fork()
    if pid == 0:
        try:
            os.close(read_fd)
            _close_inherited(write_fd)
            try:
                data = pickle.dumps(("ok", function(*args)))
            except BaseException as exc:  # reported to the parent, which raises it there (a result that
                # cannot be pickled included)
                data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
            with os.fdopen(write_fd, "wb") as fh:
                fh.write(len(data).to_bytes(8, "little") + data)
        finally:
            os._exit(0)
    os.close(write_fd)
    try:
        outcome = _receive(read_fd, time.monotonic() + seconds)
    except TimeoutError:
        raise RuntimeError(f"子进程超过 {seconds:g} 秒仍未完成，已终止。") from None
    except _Died:
        raise RuntimeError("子进程异常终止。") from None
    finally:
        os.close(read_fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if outcome[0] == "error":
        raise RuntimeError(outcome[1])
    return outcome[1]


@dataclass
class Parsed:
    source_file: str
    sha256: str
    report: Report | None = None
    reason: str | None = None
    message: str | None = None
    seconds: float = 0.0


def parse_files(items: list[tuple[str, str]], limits: Limits) -> list[Parsed]:
    """Parse files under time and memory limits, turning every way one can fail into a reason;
    never raises for a bad file. Oversized files are refused before anything reads them. The limits
    are the analyst's, decided where the run started: a Dask worker's own environment has no say."""
    out: dict[str, Parsed] = {}
    readable = []
    for path, sha in items:
        size_mb = Path(path).stat().st_size / 1e6
        if size_mb > limits.max_mb:
            message = f"文件大小 {size_mb:.1f} MB，超过上限 {limits.max_mb:g} MB。"
            out[path] = Parsed(path, sha, None, "TOO_LARGE", message)
        else:
            readable.append(path)
    shas = dict(items)
    clock = time.perf_counter()
    for path, result in parse_many(readable, limits):
        now = time.perf_counter()
        seconds, clock = now - clock, now
        if isinstance(result, ReportError):
            out[path] = Parsed(path, shas[path], None, result.reason, result.message, seconds)
        elif result.pages > limits.max_pages:
            message = f"共 {result.pages} 页，超过上限 {limits.max_pages} 页。"
            out[path] = Parsed(path, shas[path], None, "TOO_LARGE", message, seconds)
        else:
            out[path] = Parsed(path, shas[path], result, seconds=seconds)
    return [out[path] for path, _ in items]
