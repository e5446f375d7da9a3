"""Where each township publishes: the register's optional `url` and `link_pattern` columns (the register CSV
is read by parsers/register.py, as the warehouse reads it)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.domain.register import read_register


@dataclass(frozen=True)
class Site:
    township: str
    url: str  # the township's 年报 column, or the county platform's listing page for it
    link_pattern: str | None = None  # a regular expression for report links, where the default does not fit
    county: str | None = None  # its files go to INBOX/<county>/<township>/, so the run knows the county

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc.lower()


def read_sites(csv_path: str | Path) -> list[Site]:
    """The townships of a register CSV that have a `url`, in register order, under their canonical names."""
    return [Site(t.name, t.url, t.link_pattern, t.county) for t in read_register(csv_path) if t.url]


def problem(site: Site) -> str | None:
    """Why a register row's url or link_pattern cannot be used (collection records it for that township
    and goes on with the others), or None."""
    parts = urlsplit(site.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"乡镇名册中的网址不是 http(s) 网址：{site.url}"
    if site.link_pattern:
        try:
            re.compile(site.link_pattern)
        except re.error as err:
            return f"乡镇名册中的 link_pattern 不是有效的正则表达式：{err}"
    return None


def register_has_urls(csv_path: str | Path) -> bool:
    """Whether any township in the register CSV has a url to collect from (False for a register that
    cannot be read: the run says so itself)."""
    try:
        return any(t.url for t in read_register(csv_path))
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
