"""The generated prose: a township's two years never read alike unless it copied (demo.prose.PROSE_MODES)."""

from __future__ import annotations

import random
import re

import pytest

from gongkai.demo import prose

TOWNSHIPS = ("汤旺河镇", "红光街道", "大箐山乡", "朗乡镇", "东风街道")


def _pieces(text: str) -> set[str]:
    # As warehouse/checks/prose_copied.sql compares: Chinese characters and letters, in two-character pieces.
    kept = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", text)
    return {kept[i : i + 2] for i in range(len(kept) - 1)}


def _alike(a: str, b: str) -> float:
    x, y = _pieces(a), _pieces(b)
    return len(x & y) / len(x | y)


def _parts(township: str, year: int, length: str, mode: str) -> dict[str, str]:
    written = prose.sections(
        random.Random(f"{township}:{year}"),
        township=township,
        stem="汤旺",
        gov=f"{township}人民政府",
        county="汤旺县",
        year=year,
        applications=3,
        length=length,
        intro=False,
        fee_yuan=0,
        mode=mode,
    )
    return {part: "".join(run for p in paras for run, _ in p.runs) for part, paras in written.items()}


@pytest.mark.parametrize("length", ["short", "medium", "long"])
def test_copied_prose_is_last_years_words_and_the_rest_is_not(length):
    for township in TOWNSHIPS:
        for year in (2022, 2023):
            before = _parts(township, year - 1, length, "fresh")
            copied = _parts(township, year, length, "copied")
            assert copied["一"] != before["一"]  # this year's year and figures
            for part in ("一", "五"):
                assert _alike(copied[part], before[part]) == 1.0
                # written anew, or last year's partly rewritten: well under the threshold (0.85)
                assert _alike(_parts(township, year, length, "fresh")[part], before[part]) < 0.65
                assert _alike(_parts(township, year, length, "edited")[part], before[part]) < 0.75
