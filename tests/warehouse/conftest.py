"""Fixtures: an empty warehouse in a temp dir and a small register."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai import warehouse

REGISTER = """name,aliases,code
汤旺河镇,汤旺河镇人民政府;汤旺县汤旺河镇,230722100000
洪泽区,淮安市洪泽区人民政府,320813000000
东风街道,东风街道办事处,230722001000
"""


@pytest.fixture
def register_csv(tmp_path: Path) -> Path:
    path = tmp_path / "townships.csv"
    path.write_text(REGISTER, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path, register_csv: Path):
    con = warehouse.open_warehouse(tmp_path / "w.duckdb")
    warehouse.load_townships(con, register_csv)
    yield con
    con.close()
