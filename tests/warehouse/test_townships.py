"""The register and matching the name a report prints to it."""

from __future__ import annotations

import pytest

from gongkai import warehouse


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        ("汤旺河镇", "汤旺县汤旺河镇", "汤旺河镇"),
        ("", "汤旺县汤旺河镇", "汤旺河镇"),
        ("洪泽区", "淮安市洪泽区人民政府", "洪泽区"),
        ("", "淮安市洪泽区人民政府", "洪泽区"),
        ("", "淮安市 洪泽区政府", "洪泽区"),
        ("东风街道办事处", "", "东风街道"),
        ("东风街道", "某县东风街道办事处", "东风街道"),
        ("汤旺河", "汤旺县汤旺河人民政府", "汤旺河镇"),  # the level suffix left off
        ("西林镇", "伊春市西林镇人民政府", None),
    ],
)
def test_match_the_most_specific_register_name(db, body, title, expected):
    assert warehouse.match_township(db, body, title) == expected


def test_a_higher_level_in_the_register_does_not_win(db, tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("name\n汤旺县\n汤旺河镇\n", encoding="utf-8")
    warehouse.load_townships(db, csv)
    assert warehouse.match_township(db, "", "汤旺县汤旺河镇人民政府") == "汤旺河镇"
    assert warehouse.match_township(db, "", "汤旺县人民政府") == "汤旺县"


def test_register_loads_aliases_and_codes_and_replaces_the_old_one(db, tmp_path):
    assert db.execute("SELECT name, aliases, code FROM townships WHERE name = '洪泽区'").fetchall() == [
        ("洪泽区", ["淮安市洪泽区人民政府"], "320813000000")
    ]
    csv = tmp_path / "t.csv"
    csv.write_text("\ufeffname,aliases\n新城镇,新城镇人民政府；新城\n", encoding="utf-8")
    assert warehouse.load_townships(db, csv) == 1
    assert db.execute("SELECT name, aliases, code FROM townships").fetchall() == [
        ("新城镇", ["新城镇人民政府", "新城"], None)
    ]
