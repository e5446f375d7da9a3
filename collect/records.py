"""One fetch of one URL: what the warehouse's `sources` table keeps of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime


@dataclass
class Fetch:
    township: str | None  # None for a host's robots.txt
    url: str
    fetched_at: datetime
    kind: str  # robots | listing | article | attachment
    http_status: int | None = None  # None: no answer (timeout, refused, not fetched)
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None  # of the bytes held after this fetch (for a 304, the earlier bytes)
    saved_file: str | None = None  # the file in the inbox, absolute
    error: str | None = None  # why nothing usable came, in Chinese
    referrer: str | None = None  # the page the link was on
    link_text: str | None = None
    year: int | None = None  # the report year the link names
    changed: bool = False  # bytes differ from the previous fetch of this URL
    note: str | None = None  # what was done with a page that came fine (a report's page not saved, and why)
    collection_id: str = ""
    written: bool = False  # the file was written into the inbox by this fetch (not kept in `sources`)

    def to_json(self) -> dict:
        out = asdict(self)
        out["fetched_at"] = self.fetched_at.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict) -> Fetch:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["fetched_at"] = datetime.fromisoformat(values["fetched_at"])
        return cls(**values)
