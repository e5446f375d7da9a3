"""Layout variants: how each township prints its reports (ruling, title form, local rows, ...).

Choices are per township (offices reuse last year's document) with a few per-year changes. Over a
register, every option of every variant is given to at least one township, so a demo county shows
them all.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace
from typing import Any

from gongkai.demo import untidy as untidy_kinds
from gongkai.demo.register import Township

RULINGS = ("rects", "lines", "none", "mixed")
# The form each report arrives in (its file suffix: demo.document.SUFFIX); most as PDFs exported by
# WPS/Word. The web's forms: the page itself and a browser's print of it. A scan (the WPS PDF printed,
# stamped and scanned: demo.scan) is never drawn by weight: reading one takes OCR, about 25 s, so a
# corpus holds only the scans it asks for (demo.corpus.write_corpus's `scans`).
MEDIA = ("pdf", "browser_pdf", "html", "html_gb2312", "docx", "scan")
DRAWN_MEDIA = MEDIA[:5]
WEB_MEDIA = ("browser_pdf", "html", "html_gb2312")
_MEDIA_WEIGHTS = (8, 3, 3, 2, 3)
TITLE_FORMS = ("county_town", "gov", "year_first", "office")


@dataclass(frozen=True)
class Layout:
    ruling: str  # rects | lines | none | mixed
    title_form: str  # county_town 汤旺县XX镇 | gov XX镇人民政府 | year_first 2022年XX镇… | office XX街道办事处
    denied_other: bool  # prints the local 9th 不予公开 row 9.其他（…）
    other_split: bool  # 其他处理 as three rows (else one)
    label_typo: bool  # 2.其他法律行政止公开
    page_numbers: bool  # footer - 3 -
    thousands_sep: bool  # large t2 counts printed 1,234
    dated: bool  # name and date at the end (else name only)
    shading: bool  # light blue 第二十条 rows, as WPS table styles do
    t2_align: str  # c | l
    prose: str  # short | medium | long (long prose pushes tables across pages)
    narrow_chars: int  # characters per line in table 三's narrow header cells (商业企/业 at 3)
    body_size: float
    number_font: str
    foreword: bool  # the 本报告由…编制 paragraph before 一、总体情况
    split_target: str  # "" or "t3_unavailable": nudge the page break into （四）无法提供
    dashes: str = "none"  # none | t2 | t4: zero cells printed as — or / (one township-year)
    medium: str = "pdf"  # pdf | browser_pdf | html | html_gb2312 | docx | scan
    quirks: tuple[str, ...] = ()  # what the township does as real ones do (demo.untidy.KINDS)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _cover(rng: random.Random, options: tuple[Any, ...], n: int, weights: tuple[float, ...] | None = None) -> list[Any]:
    """n choices containing every option at least once (when n allows), in random order."""
    base = list(options[:n])
    base += rng.choices(options, weights=weights, k=n - len(base))
    rng.shuffle(base)
    return base


def choose_layouts(rng: random.Random, townships: list[Township], untidy: float = 0.0) -> dict[str, Layout]:
    """One base layout per township; an `untidy` share of them write their reports as real townships do
    (demo.untidy), every kind of it in some township."""
    n = len(townships)
    rulings = _cover(rng, RULINGS, n, (4, 3, 1, 2))
    flags = {
        "denied_other": _cover(rng, (True, False), n, (1, 3)),
        "other_split": _cover(rng, (True, False), n, (2, 3)),
        "page_numbers": _cover(rng, (True, False), n, (3, 1)),
        "dated": _cover(rng, (False, True), n, (1, 8)),
        "shading": _cover(rng, (True, False), n),
        "foreword": _cover(rng, (True, False), n),
    }
    prose = _cover(rng, ("long", "medium", "short"), n, (1, 2, 1))
    # Drawn from its own generator so that adding media left every other choice of a seed as it was.
    media = _cover(random.Random(f"media:{rng.getstate()[1][:8]}"), DRAWN_MEDIA, n, _MEDIA_WEIGHTS)
    narrow = _cover(rng, (3, 2), n)
    # Title forms: 街道 print 办事处 forms, 镇/乡 人民政府 forms; both may use the county or year-first forms.
    towns = [i for i, t in enumerate(townships) if t.kind != "街道"]
    streets = [i for i, t in enumerate(townships) if t.kind == "街道"]
    forms: dict[int, str] = {}
    for idx, own in ((towns, "gov"), (streets, "office")):
        for i, form in zip(idx, _cover(rng, (own, "county_town", "year_first"), len(idx), (3, 2, 1)), strict=True):
            forms[i] = form
    large = [i for i, t in enumerate(townships) if t.size == "large"] or list(range(n))
    typo = rng.randrange(n)
    big = rng.choice(large)
    # Township needing a page break inside （四）无法提供: long prose + a full page makes it natural.
    split = rng.randrange(n)
    # The split township's page break needs a paged PDF, and 汤旺河镇 prints as its real report does:
    # each takes a PDF from another township, so every medium still occurs.
    for i in {split, *(i for i, t in enumerate(townships) if t.name == "汤旺河镇")}:
        others = [k for k, m in enumerate(media) if m == "pdf" and k != split and townships[k].name != "汤旺河镇"]
        if media[i] != "pdf" and others:
            media[i], media[others[0]] = "pdf", media[i]
    out: dict[str, Layout] = {}
    for i, t in enumerate(townships):
        out[t.name] = Layout(
            ruling=rulings[i],
            title_form=forms[i],
            denied_other=flags["denied_other"][i],
            other_split=flags["other_split"][i],
            label_typo=i == typo,
            page_numbers=flags["page_numbers"][i],
            thousands_sep=i == big,
            dated=flags["dated"][i],
            shading=flags["shading"][i] and rulings[i] in ("rects", "mixed"),
            t2_align=rng.choice(("c", "c", "l")),
            prose=prose[i],
            narrow_chars=narrow[i],
            body_size=rng.choice((14.0, 15.0, 16.0)),
            number_font=rng.choice(("Times-Roman", "Times-Roman", "STSong-Light")),
            foreword=flags["foreword"][i],
            split_target="t3_unavailable" if i == split else "",
            medium=media[i],
        )
    # Shading shows only on rect-ruled tables: make sure one such township uses it.
    ruled = [t.name for t in townships if out[t.name].ruling in ("rects", "mixed")]
    if ruled and not any(out[name].shading for name in ruled):
        out[ruled[0]] = replace(out[ruled[0]], shading=True)
    # A web page that prints no date is dated by its 发布时间: make sure one township's pages are so.
    web = [name for name, lay in out.items() if lay.medium in WEB_MEDIA]
    web.sort(key=lambda name: out[name].medium != "browser_pdf")  # a printed page first: the harder case
    if web and all(out[name].dated for name in web):
        out[web[0]] = replace(out[web[0]], dated=False)
    # Drawn from its own generator, after every other choice: a county with no untidy share is as it was.
    # 汤旺河镇 (printed as its real report) and the township whose table breaks in （四）无法提供 stay tidy.
    plain = [t.name for i, t in enumerate(townships) if i != split and t.name != "汤旺河镇"]
    kinds = untidy_kinds.choose(random.Random(f"untidy:{rng.getstate()[1][:8]}"), len(plain), untidy)
    for name, chosen in zip(plain, kinds, strict=True):
        out[name] = replace(out[name], quirks=chosen)
        if "narrow" in chosen and out[name].ruling == "none":
            # A Word-pasted table keeps its widths and its borders (the parser reads wrapped labels by
            # the cells the borders close; an unruled table's lines are read as lines).
            out[name] = replace(out[name], ruling="lines")
    # 汤旺河镇 prints as its real 2022 report does.
    if "汤旺河镇" in out:
        out["汤旺河镇"] = replace(out["汤旺河镇"], title_form="county_town", denied_other=True, other_split=True)
    # A name other counties share (城关镇) is told apart only by its county: its title always prints it.
    for t in townships:
        if t.repeated:
            out[t.name] = replace(out[t.name], title_form="county_town")
    return out


def year_layout(rng: random.Random, base: Layout) -> Layout:
    """This year's layout: now and then a new clerk changes the table ruling or the prose length."""
    if rng.random() < 0.15:
        base = replace(base, ruling=rng.choice(RULINGS))
        if "narrow" in base.quirks and base.ruling == "none":
            base = replace(base, ruling="lines")
    if rng.random() < 0.2:
        base = replace(base, prose=rng.choice(("long", "medium", "short")))
    if base.split_target:  # the page break inside （四）无法提供 needs a paged PDF
        return replace(base, medium="pdf")
    return base
