"""A loopback HTTP server for the demo township portal (demo.portal): static files with validators,
plus the faults a crawler meets on real county sites (redirects, errors, slow pages, error pages
served as attachments), driven by the portal plan.

    with serve_portal(site, faults=plan.faults, content_types=plan.content_types) as server:
        urllib.request.urlopen(server.base_url + plan.townships[0].listing)
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import html
import os
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".wps": "application/vnd.ms-works",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Hit:
    method: str
    path: str  # as requested, query included
    headers: dict[str, str]
    status: int


class _HitList(list):
    """A list whose appends and copies hold a lock (handlers append from their own threads)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def append(self, hit: Hit) -> None:  # type: ignore[override]
        with self._lock:
            super().append(hit)

    def snapshot(self) -> list[Hit]:
        with self._lock:
            return list(self)

    def clear(self) -> None:
        with self._lock:
            super().clear()


def _page(status: int, text: str) -> bytes:
    head = f'<html><head><meta charset="utf-8"><title>{status}</title></head>'
    return f"{head}<body><h1>{status}</h1>{html.escape(text)}</body></html>".encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    portal: PortalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a crawler's timeout) is what real servers see every day: not a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "TRS-WCM-demo/1.0"
    sys_version = ""
    timeout = 15  # an idle keep-alive connection does not hold a thread for ever

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, *, head: bool) -> None:
        portal = self.server.portal
        with portal._lock:
            portal._connections.add(self.connection)
        status, headers, body = portal._respond(self.command, self.path, self.headers)
        if status == 0:  # the server stopped while this request waited
            self.close_connection = True
            return
        portal.requests.append(Hit(self.command, self.path, {k: v for k, v in self.headers.items()}, status))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.portal._lock:
                self.server.portal._connections.discard(self.connection)


class PortalServer:
    """The running server; a context manager that stops it on exit."""

    def __init__(
        self,
        site_dir: Path,
        faults: dict[str, dict] | None,
        content_types: dict[str, str] | None,
        host: str,
        port: int,
    ) -> None:
        self.site_dir = Path(site_dir).resolve()
        self.faults: dict[str, dict] = {k: dict(v) for k, v in (faults or {}).items()}
        self.content_types: dict[str, str] = dict(content_types or {})
        self.requests: _HitList = _HitList()
        self._lock = threading.Lock()
        self._served: dict[str, int] = {}  # fault path -> times its fault has answered
        self._connections: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.portal = self
        bound_host, bound_port = self._httpd.server_address[:2]
        self.host = str(bound_host)
        self.port = int(bound_port)
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"http://{shown}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # -- control ---------------------------------------------------------------------------------------

    def __enter__(self) -> PortalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return self.base_url + path

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)

    def set_fault(self, path: str, spec: dict) -> None:
        with self._lock:
            self.faults[path] = dict(spec)
            self._served.pop(path, None)

    def clear_fault(self, path: str) -> None:
        with self._lock:
            self.faults.pop(path, None)
            self._served.pop(path, None)

    def replace(self, path: str, data: bytes) -> None:
        """New bytes for `path`, with an mtime at least a second later, so ETag and Last-Modified change."""
        file = self._file(path)
        if file is None:
            raise ValueError(f"not a path under the site: {path}")
        old = file.stat().st_mtime if file.exists() else 0.0
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
        stamp = float(int(max(old, time.time())) + 1)
        os.utime(file, (stamp, stamp))

    # -- answering ---------------------------------------------------------------------------------------

    def _file(self, path: str) -> Path | None:
        """The file under site_dir a URL path names, or None if it would leave the site."""
        clean = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        if "\x00" in clean or "\\" in clean:
            return None
        parts = [p for p in clean.split("/") if p not in ("", ".")]
        if ".." in parts:
            return None
        file = self.site_dir.joinpath(*parts) if parts else self.site_dir
        try:
            file.resolve().relative_to(self.site_dir)
        except ValueError:
            return None
        return file

    def _fault(self, path: str) -> tuple[str, dict] | None:
        with self._lock:
            for key in (path, path + "index.html" if path.endswith("/") else None):
                if key is None or key not in self.faults:
                    continue
                spec = self.faults[key]
                times = spec.get("times")
                if times is not None and self._served.get(key, 0) >= int(times):
                    return None
                self._served[key] = self._served.get(key, 0) + 1
                return key, spec
        return None

    def _respond(self, method: str, raw_path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        path = urllib.parse.unquote(raw_path.split("?", 1)[0].split("#", 1)[0])
        hit = self._fault(path)
        if hit is not None:
            _, spec = hit
            kind = spec.get("kind")
            if kind == "slow":
                if self._stopping.wait(float(spec.get("seconds", 5))):
                    return 0, {}, b""
            elif kind == "redirect":
                status = int(spec.get("status", 301))
                body = _page(status, "Moved")
                return status, {"Location": spec["location"], "Content-Type": CONTENT_TYPES[".html"]}, body
            elif kind == "status":
                status = int(spec.get("status", 500))
                return status, {"Content-Type": CONTENT_TYPES[".html"]}, _page(status, "服务器错误")
            elif kind == "body":
                ctype = spec.get("content_type", CONTENT_TYPES[".html"])
                charset = ctype.partition("charset=")[2].strip() or "utf-8"
                body = spec.get("body", "").encode(charset)
                return int(spec.get("status", 200)), {"Content-Type": ctype}, body
            else:
                raise ValueError(f"unknown fault kind {kind!r} for {path}")
        file = self._file(path)
        if file is not None and file.is_dir():
            if not path.endswith("/"):
                location = raw_path.split("?", 1)[0] + "/"
                return 301, {"Location": location, "Content-Type": CONTENT_TYPES[".html"]}, _page(301, "Moved")
            file = file / "index.html"
            path = path + "index.html"
        if file is None or not file.is_file():
            return 404, {"Content-Type": CONTENT_TYPES[".html"]}, _page(404, "页面不存在")
        data = file.read_bytes()
        mtime = int(file.stat().st_mtime)
        etag = '"' + hashlib.sha1(data).hexdigest() + '"'
        ctype = self.content_types.get(path) or CONTENT_TYPES.get(file.suffix.lower(), DEFAULT_TYPE)
        out = {
            "Content-Type": ctype,
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
            "Content-Length": str(len(data)),
        }
        if _not_modified(headers, etag, mtime):
            return 304, out, b""
        return 200, out, data


def _not_modified(headers: Any, etag: str, mtime: int) -> bool:
    match = headers.get("If-None-Match")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when is None:
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        return int(when.timestamp()) >= mtime
    return False


def serve_portal(
    site_dir: Path,
    *,
    faults: dict[str, dict] | None = None,
    content_types: dict[str, str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> PortalServer:
    """Serve site_dir on host:port (0: any free port) in a daemon thread; returns the running server."""
    return PortalServer(site_dir, faults, content_types, host, port)
