from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.demo.corpus import write_corpus


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county: seed 2024, 12 townships, 2020-2024 (about 2 s)."""
    out = tmp_path_factory.mktemp("county")
    write_corpus(out, 12, (2020, 2024), 2024)
    return out


@pytest.fixture(scope="session")
def truths(county: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((county / "reports").glob("*.json"))]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reads the demo county (written once, about 20 s) is `slow`: `make check` leaves it out."""
    for item in items:
        if "county" in getattr(item, "fixturenames", ()) and Path(__file__).parent in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)
