"""One text normalisation, applied where text enters the parser from any source (PDF, HTML, Word); and
the numbers Chinese numerals print (`cn_number`: dates, headings' numbers).

Browser prints, WPS exports and some Word fonts put radical code points in their text layer (⾏ U+2F8F
for 行, ⺠ U+2EA0 for 民): their fonts map the radical and the ideograph to one glyph, and the PDF's
ToUnicode names the radical. Web pages pad cells with no-break spaces and print digits full-width.

- Kangxi Radicals (U+2F00–U+2FD5) and CJK Compatibility Ideographs: `unicodedata`'s NFKC mapping.
- CJK Radicals Supplement (U+2E80–U+2EFF): these have no NFKC mapping; the table below is Unicode's
  own Equivalent_Unified_Ideograph property (EquivalentUnifiedIdeograph-15.0.0.txt of the UCD, as
  Debian's `unicode-data` package ships it), restricted to that block.
- Latin ligatures (ﬁ, ﬂ) to their letters; full-width digits and Latin letters to ASCII; no-break,
  ideographic and other spaces to a space; zero-width characters removed. Full-width punctuation
  （），：、 is the Chinese norm and is kept.
"""

from __future__ import annotations

import unicodedata

_SUPPLEMENT_FROM = (
    "⺁⺂⺃⺄⺅⺆⺇⺈⺉⺊⺋⺌⺍⺎⺏⺐⺑⺒⺓⺔⺕⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳"
    "⺴⺵⺶⺷⺸⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻕⻖⻗⻘⻙⻚⻛⻜⻝⻞⻟⻠⻡⻢⻣⻤⻥"
    "⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳"
)
_SUPPLEMENT_TO = (
    "厂乛乚乙亻冂𠘨刀刂卜㔾小小兀尣尢𡯂巳幺彑𫜹忄心扌攵旡日月歺母民氵氺灬爫爫丬牛犭王𤴔目示礻𥫗糹纟罓罒㓁"
    "冗𦉫羊𦍌𦍋耂肀聿肉𦥑艹艹艹虎衤覀西见角𧢲讠贝𧾷车辶辶辶邑钅長镸长门𨸏阝雨青韦页风飞食𩙿飠饣𩠐马骨鬼鱼"
    "鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"
)
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_FULL_WIDTH_ALNUM = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
# Kangxi Radicals, CJK Compatibility Ideographs and their Supplement, Latin ligatures (ﬁ in a printed
# page's address).
_NFKC_RANGES = ((0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0xFB00, 0xFB06))


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for lo, hi in _NFKC_RANGES:
        for cp in range(lo, hi + 1):
            mapped = unicodedata.normalize("NFKC", chr(cp))
            if mapped != chr(cp) and (len(mapped) == 1 or mapped.isascii()):
                table[cp] = mapped
    table.update({ord(a): b for a, b in zip(_SUPPLEMENT_FROM, _SUPPLEMENT_TO, strict=True)})
    table.update({cp: chr(cp - 0xFEE0) for cp in _FULL_WIDTH_ALNUM})
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(c): "" for c in _ZERO_WIDTH})
    return table


_TABLE = _build_table()


def normalize_text(text: str) -> str:
    """`text` with radicals, compatibility ideographs, full-width alphanumerics and odd spaces made plain."""
    return text.translate(_TABLE)


_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int:
    """A number printed in digits or Chinese numerals: 2023, 二〇二三, 十二, 二十一, 十."""
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written digit by digit: 二〇二三
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if "十" in text:  # 十二, 二十一, 十
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]
