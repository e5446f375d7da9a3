"""The one text normalisation every source's text goes through."""

from __future__ import annotations

from gongkai.parsers.text import normalize_text


def test_kangxi_radicals_become_the_ideographs_they_stand_for():
    # As Chromium's print of a report names them: ⾏ U+2F8F, ⼈ U+2F08, ⼯ U+2F2F, ⽆ U+2F46.
    printed = "四、政府信息公开\u2f8f政复议、\u2f8f政诉讼情况 \u2f08 \u2f2f \u2f46"
    assert normalize_text(printed) == "四、政府信息公开行政复议、行政诉讼情况 人 工 无"


def test_cjk_radicals_supplement_from_unicodes_equivalent_ideographs():
    assert normalize_text("\u2ea0\u2ed3\u2ed4\u2eda\u2ec5\u2ecb") == "民长门页见车"
    # Every mapped radical of the block becomes one CJK unified ideograph (of the BMP or beyond).
    for cp in range(0x2E80, 0x2F00):
        out = normalize_text(chr(cp))
        if out != chr(cp):
            assert len(out) == 1 and _unified(ord(out)), hex(cp)


def _unified(cp: int) -> bool:
    """In a CJK Unified Ideographs block (the BMP's, Extension A, or Extensions B onwards)."""
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x323AF


def test_compatibility_ideographs_full_width_alphanumerics_and_spaces():
    assert normalize_text("\uf9b5") == "例"  # CJK COMPATIBILITY IDEOGRAPH-F9B5
    assert normalize_text("２０２３年ＡＢｃ") == "2023年ABc"
    assert normalize_text("a\u00a0b\u3000c\u2002d") == "a b c d"
    assert normalize_text("1\u200b2\ufeff3") == "123"


def test_chinese_punctuation_is_kept():
    text = "（一）予以公开，行政复议：“三安全一稳定”。"
    assert normalize_text(text) == text
