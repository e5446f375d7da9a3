"""What collection keeps in the inbox between nights, in the hidden folder `.gongkai/` that the run does
not read: each URL's validators (ETag, Last-Modified) and the sha256 of what it saved, a copy of each page
it reads links from (so a 304 still shows the links), and fetches not yet recorded in a warehouse."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path

from gongkai.collect.records import Fetch

STATE_DIR = ".gongkai"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


MAX_NAME_BYTES = 180  # file systems allow 255 bytes a name; a Chinese character takes 3 in UTF-8


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".part-{os.getpid()}-{threading.get_ident()}")
    partial.write_bytes(data)
    os.replace(partial, path)


def safe_name(name: str) -> str:
    """A file name any file system takes: no separators or reserved characters, at most MAX_NAME_BYTES
    bytes, its suffix kept."""
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 8:
        stem, dot, suffix = name, "", ""
    while len(f"{stem}{dot}{suffix}".encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem}{dot}{suffix}"


class Store:
    """The inbox's collection state. Thread-safe: townships on different hosts are collected at once."""

    def __init__(self, inbox: Path) -> None:
        self.inbox = inbox.resolve()
        self.dir = self.inbox / STATE_DIR
        self._state_path = self.dir / "collect-state.json"
        self._lock = threading.Lock()
        try:
            self._state: dict[str, dict] = json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._state = {}
        self._dirty = False

    def known(self, url: str) -> dict:
        """What the last successful fetch of `url` left: etag, last_modified, sha256, size, saved_file."""
        with self._lock:
            return dict(self._state.get(url, {}))

    def validators(self, url: str, *, cached_page: bool) -> dict[str, str]:
        """Conditional-request headers for `url`, only while what it gave is still at hand (the saved file
        with its size, or the page's copy): a 304 must not leave us with nothing."""
        known = self.known(url)
        if not known:
            return {}
        if cached_page and not self._page_path(url).is_file():
            return {}
        saved = known.get("saved_file")
        if saved and not (Path(saved).is_file() and Path(saved).stat().st_size == known.get("size")):
            return {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def remember(self, url: str, **values: object) -> None:
        with self._lock:
            if self._state.get(url) != values:
                self._state[url] = values
                self._dirty = True

    def _page_path(self, url: str) -> Path:
        return self.dir / "pages" / f"{hashlib.sha1(url.encode()).hexdigest()}.html"

    def page(self, url: str) -> bytes | None:
        try:
            return self._page_path(url).read_bytes()
        except OSError:
            return None

    def keep_page(self, url: str, data: bytes) -> None:
        path = self._page_path(url)
        if self.page(url) != data:
            _write_atomically(path, data)

    def folder(self, township: str, county: str | None = None) -> Path:
        """A township's folder; in its county's folder when the register names one (the run takes the first
        folder under the inbox as the county, to tell apart 城关镇 of two counties)."""
        if county:
            return self.inbox / safe_name(county) / safe_name(township)
        return self.inbox / safe_name(township)

    def place(self, township: str, url: str, name: str, *, fresh: bool = False, county: str | None = None) -> Path:
        """Where the file from `url` is saved: the name it had before (unless `fresh`), else
        `[<county>/]<township>/<name>`, with a number added when another file already has that name."""
        saved = self.known(url).get("saved_file")
        if saved and not fresh:
            return Path(saved)
        folder = self.folder(township, county)
        stem, dot, suffix = safe_name(name).rpartition(".")
        if not dot:
            stem, suffix = suffix, ""
        with self._lock:
            taken = {v.get("saved_file") for v in self._state.values()}
            n = 1
            path = folder / safe_name(name)
            while str(path) in taken or path.exists():
                n += 1
                path = folder / f"{stem}-{n}{dot}{suffix}"
            # Claimed at once, so that another thread does not pick the same name before this one saves.
            self._state.setdefault(url, {})["saved_file"] = str(path)
        return path

    def saved_with(self, sha256: str, folder: Path) -> Path | None:
        """A file in `folder` (a township's) already saved with these bytes from another URL (a site that
        moved, a report linked twice), so that the same bytes are not written again under a second name."""
        with self._lock:
            for known in self._state.values():
                saved = known.get("saved_file")
                if known.get("sha256") == sha256 and saved and Path(saved).parent == folder and Path(saved).is_file():
                    return Path(saved)
        return None

    def shared(self, path: Path, url: str) -> bool:
        """Another URL's bytes are saved in `path` too."""
        with self._lock:
            return any(k.get("saved_file") == str(path) for u, k in self._state.items() if u != url)

    def save(self, path: Path, data: bytes) -> bool:
        """Write the file unless it already holds these bytes; True when written."""
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except OSError:
            pass
        _write_atomically(path, data)
        return True

    def flush(self) -> None:
        """Write the state once, at the end, and only if it changed: an unchanged night writes nothing."""
        with self._lock:
            if self._dirty:
                _write_atomically(self._state_path, json.dumps(self._state, ensure_ascii=False, indent=0).encode())
                self._dirty = False

    def add_pending(self, fetches: list[Fetch]) -> None:
        """Fetches made without a warehouse (`gongkai collect`): kept for the next run to record."""
        if not fetches:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(_pending_path(self.inbox), "a", encoding="utf-8") as fh:
            for fetch in fetches:
                fh.write(json.dumps(fetch.to_json(), ensure_ascii=False) + "\n")


def _pending_path(inbox: Path) -> Path:
    return Path(inbox).resolve() / STATE_DIR / "pending-fetches.jsonl"


def pending_fetches(inbox: Path) -> list[Fetch]:
    """The fetches `gongkai collect` made into this inbox that no warehouse has recorded yet."""
    path = _pending_path(inbox)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            out.append(Fetch.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a killed collection
    return out


def clear_pending(inbox: Path) -> None:
    """Once a warehouse has recorded the pending fetches."""
    _pending_path(inbox).unlink(missing_ok=True)
