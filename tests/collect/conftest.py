"""A generated county published on a generated township portal, served on loopback for each test module,
with a second loopback server standing for every site outside the register (it must never be asked)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.collect import CollectSettings
from gongkai.demo.portal import PortalPlan, write_portal, write_register
from gongkai.demo.portal_server import PortalServer, serve_portal

# Quick on loopback; the real defaults (1 s between requests, 20 s timeout) are tested on their own. The
# timeout leaves a loaded machine room to answer; the slow page (played only where a test asks) is well past it.
FAST = CollectSettings(delay=0.01, timeout=2.0, backoff=0.02, retries=2)
SLOW_SECONDS = 6.0


@dataclass
class Portal:
    county: Path
    plan: PortalPlan
    server: PortalServer
    outside: PortalServer
    register: Path

    site: Path | None = None

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def served(self, path: str) -> bytes:
        """The bytes the site serves at `path`."""
        return (self.site / path.lstrip("/")).read_bytes()


@pytest.fixture(scope="session")  # one county for every test that collects (writing it takes ~10 s)
def county_on_portal(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=5, years=(2021, 2025), seed=7, workers=1)
    return out


@pytest.fixture
def portal(county_on_portal: Path, tmp_path: Path) -> Iterator[Portal]:
    county = county_on_portal
    empty = tmp_path / "outside"
    empty.mkdir()
    with serve_portal(empty, host="127.0.0.2") as outside:
        plan = write_portal(
            county, tmp_path / "site", seed=7, outside_url=outside.base_url + "/", slow_seconds=SLOW_SECONDS
        )
        # The slow page costs each collection three timeouts: only the test of failures plays it.
        faults = plan.faults_without("slow")
        with serve_portal(tmp_path / "site", faults=faults, content_types=plan.content_types) as server:
            write_register(plan, county, tmp_path / "townships.csv", server.base_url)
            yield Portal(county, plan, server, outside, tmp_path / "townships.csv", tmp_path / "site")
