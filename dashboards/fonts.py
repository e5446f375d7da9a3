"""The Chinese font every chart is drawn in, registered with matplotlib by file path.

The font file ships inside the `mplfonts` wheel (a project dependency), so a fresh machine with no
system fonts draws the same glyphs. The package itself is never imported: its import hooks change
matplotlib's settings, and only its font file is needed.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from matplotlib import font_manager

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"  # Noto Sans CJK SC, SIL Open Font License


class FontMissingError(RuntimeError):
    """The Chinese font file is not installed."""


def font_path() -> Path:
    """The path of the Simplified-Chinese font file shipped by the font package."""
    spec = importlib.util.find_spec(FONT_PACKAGE)  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise FontMissingError(
            f"未安装字体包 {FONT_PACKAGE}，图表中的中文无法显示；请重新安装本项目（pip install -e .）。"
        )
    for location in spec.submodule_search_locations:
        path = Path(location) / "fonts" / FONT_FILE
        if path.is_file():
            return path
    raise FontMissingError(f"字体包 {FONT_PACKAGE} 中缺少字体文件 {FONT_FILE}。")


@cache
def chinese_font() -> str:
    """Register the font with matplotlib (once per process) and return its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def rc_params() -> dict[str, object]:
    """matplotlib settings that draw every text in the Chinese font; used as an rc_context."""
    return {
        "font.family": [chinese_font()],
        # the CJK font has no U+2212 minus at every size: draw an ASCII hyphen for negative ticks
        "axes.unicode_minus": False,
        "svg.fonttype": "none",
    }
