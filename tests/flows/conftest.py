"""Every test here starts processes or servers (the county run, Prefect, Dask): all are `slow`."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)


# The township portal on loopback (tests/collect), for the runs that collect from it.
from tests.collect.conftest import county_on_portal, portal  # noqa: E402, F401
