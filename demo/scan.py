"""A printed report, stamped with the township's red seal and scanned: an image-only PDF, no text layer.

Many townships print the signed report, stamp it, scan it and upload the scan. `scan_pdf` does the same
to a text PDF the generator wrote: each page is rendered at the scanner's resolution (pypdfium2), inked
onto slightly toned paper, stamped (last page, over the signature and date), fed in a little crooked,
lit unevenly, given sensor noise and JPEG-compressed. What it chose is returned so that the truth file
can record it; the same generator state gives the same bytes.
"""

from __future__ import annotations

import io
import math
import random
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont

MM = 72 / 25.4  # points per millimetre
DPIS = (150, 200, 240, 300)
_DPI_WEIGHTS = (3, 4, 1, 2)  # offices scan at 200 or 150 by default; archives ask for 300
# Multifunction printers as township offices have them; the PDF names one as its creator.
DEVICES = ("Canon iR-ADV C3525", "KONICA MINOLTA bizhub C300i", "RICOH IM C2000", "HP LaserJet MFP M437")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d+[-—–\s]*$|^\d+\s*/\s*\d+$")  # - 3 -, 3/5: not the signature
_SEAL_RED = np.array([0.80, 0.12, 0.16], np.float32)  # 印泥 red as a multiplier of the paper under it


@dataclass(frozen=True)
class Seal:
    page: int  # 1-based
    center: tuple[float, float]  # points from the page's top-left corner, on the sheet before its skew
    diameter: float  # points
    rotation: float  # degrees the stamp was turned in the hand, counter-clockwise
    opacity: float  # how much ink reached the paper where it was thickest


@dataclass(frozen=True)
class ScanParams:
    """What one scan chose. Angles are degrees counter-clockwise as the page image is viewed."""

    dpi: int
    angle: float  # the feeder's skew: every page within 0.1° of it but a crooked one
    page_angles: tuple[float, ...]  # the skew of each page as drawn
    quality: int  # JPEG quality
    noise: float  # sensor noise: standard deviation in grey levels (0-255)
    fold: float | None  # x of a vertical fold shadow on every page, as a fraction of the width; None: flat
    seal: Seal
    device: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def scan_pdf(
    source_pdf: Path,
    target_pdf: Path,
    rng: random.Random,
    *,
    dpi: int | None = None,
    seal_name: str,
    fold: float = 0.2,
    crooked: float = 0.15,
) -> ScanParams:
    """Write `target_pdf`: the pages of `source_pdf` as a stamped office scan; returns what was chosen.

    `seal_name` is printed round the top of the seal; `fold` and `crooked` are the chances of a fold
    shadow down every page and of one sheet fed more crooked (1.6°-2.5°) than the rest. The target's
    pages have the source's sizes in points and carry one JPEG image each, no text.
    """
    dpi = dpi or rng.choices(DPIS, _DPI_WEIGHTS)[0]
    angle = round(rng.choice((-1, 1)) * rng.uniform(0.3, 1.5), 3)
    quality = rng.randint(35, 75)
    noise = round(rng.uniform(2.0, 6.0), 2)
    fold_x = round(rng.uniform(0.42, 0.58), 3) if rng.random() < fold else None
    device = rng.choice(DEVICES)
    # Paper a little grey and warm or cool; toner never quite black once scanned.
    level = rng.uniform(232, 247)
    paper = np.array([level + rng.uniform(-2, 3), level, level - rng.uniform(-2, 5)], np.float32)
    ink = rng.uniform(20, 50)
    seal = _place_seal(source_pdf, rng)
    with pypdfium2.PdfDocument(str(source_pdf)) as doc:
        n = len(doc)
        angles = [round(angle + rng.uniform(-0.08, 0.08), 3) for _ in range(n)]
        if n > 1 and rng.random() < crooked:
            angles[rng.randrange(n)] = round(rng.choice((-1, 1)) * rng.uniform(1.6, 2.5), 3)
        sizes: list[tuple[float, float]] = []
        jpegs: list[bytes] = []
        for i in range(n):
            page = doc[i]
            sizes.append(page.get_size())
            sheet = page.render(scale=dpi / 72).to_pil().convert("RGB")
            page_rng = random.Random(rng.getrandbits(64))
            stamp = (seal, seal_name) if i + 1 == seal.page else None
            image = _scan_sheet(sheet, dpi, page_rng, paper, ink, fold_x, stamp, angles[i], noise)
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=quality)
            jpegs.append(buf.getvalue())
    _write_pdf(target_pdf, jpegs, sizes, device)
    return ScanParams(dpi, angle, tuple(angles), quality, noise, fold_x, seal, device)


def _place_seal(source_pdf: Path, rng: random.Random) -> Seal:
    """Over the signature: the last page's closing lines (body name, date), page numbers left out.

    The stamp goes on centred across them (盖章 covers the name and the year and month of the date),
    a little off where the hand missed.
    """
    with pdfplumber.open(source_pdf) as doc:
        page = doc.pages[-1]
        width, height = float(page.width), float(page.height)
        lines = [ln for ln in page.extract_text_lines() if not _PAGE_NUMBER.match(ln["text"].strip())]
        count = len(doc.pages)
    # The closing lines sit right of centre; body text starts at the left margin.
    block = []
    for ln in reversed(lines):
        if ln["x0"] < width * 0.35 or len(block) == 2:
            break
        block.append(ln)
    if block:
        x = (min(ln["x0"] for ln in block) + max(ln["x1"] for ln in block)) / 2
        y = (min(ln["top"] for ln in block) + max(ln["bottom"] for ln in block)) / 2
    elif lines:  # no signature: beside the end of the text
        x, y = width * 0.7, min(lines[-1]["bottom"] + 40, height - 80)
    else:
        x, y = width * 0.7, height * 0.8
    diameter = rng.uniform(40, 42) * MM
    return Seal(
        page=count,
        center=(round(x + rng.uniform(-0.08, 0.08) * diameter, 2), round(y + rng.uniform(-0.1, 0.1) * diameter, 2)),
        diameter=round(diameter, 2),
        rotation=round(rng.uniform(-12, 12), 2),
        opacity=round(rng.uniform(0.72, 0.92), 3),
    )


def _scan_sheet(
    sheet: Image.Image,
    dpi: int,
    rng: random.Random,
    paper: np.ndarray,
    ink: float,
    fold_x: float | None,
    stamp: tuple[Seal, str] | None,
    angle: float,
    noise: float,
) -> Image.Image:
    """One sheet: toner on paper, the seal, a fold; then the scanner: skew, lamp, noise."""
    seed = rng.getrandbits(64)
    nrng = np.random.default_rng(seed)
    # Toner spreads a little and the optics soften it: a slight blur, wider at higher resolution.
    sheet = sheet.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.55) * dpi / 150))
    a = np.asarray(sheet, np.float32) / 255.0  # 1 where the page is blank, 0 under toner
    h, w = a.shape[:2]
    a *= paper - ink
    a += ink  # blank -> paper tone, toner -> ink
    if fold_x is not None:
        # A crease: a soft grey shadow a few millimetres wide with a faint highlight beside it.
        xs = np.arange(w, dtype=np.float32)
        cx = (fold_x + rng.uniform(-0.01, 0.01)) * w
        sigma = rng.uniform(0.8, 2.0) * dpi / 25.4
        depth = rng.uniform(0.06, 0.14)
        profile = 1 - depth * np.exp(-(((xs - cx) / sigma) ** 2))
        profile += 0.4 * depth * np.exp(-(((xs - cx - 2.2 * sigma) / (0.7 * sigma)) ** 2))
        a *= profile[None, :, None]
    if stamp is not None:
        _stamp(a, dpi, rng, nrng, *stamp)
    np.clip(a, 0, 255, out=a)
    image = Image.fromarray(a.astype(np.uint8), "RGB")
    del a
    # Fed in crooked and a millimetre or two off; the lid shows white where the sheet is not.
    shift = (rng.uniform(-2, 2) * dpi / 25.4, rng.uniform(-2, 2) * dpi / 25.4)
    image = image.rotate(angle, Image.Resampling.BILINEAR, translate=shift, fillcolor=(255, 255, 255))
    a = np.asarray(image, np.float32)
    # The lamp lights the glass unevenly: a gentle gradient across the page and darker far corners.
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    theta = rng.uniform(0, 2 * math.pi)
    lamp = 1 + rng.uniform(0.02, 0.06) * (math.cos(theta) * xx + math.sin(theta) * yy)
    lamp -= rng.uniform(0.01, 0.04) * (xx**2 + yy**2) / 2
    a *= lamp[:, :, None]
    a += nrng.normal(0, noise, (h, w, 1)).astype(np.float32)
    np.clip(a, 0, 255, out=a)
    return Image.fromarray(a.astype(np.uint8), "RGB")


def _stamp(a: np.ndarray, dpi: int, rng: random.Random, nrng: np.random.Generator, seal: Seal, name: str) -> None:
    """Press the seal into the sheet `a` (H×W×3 grey levels): its ink multiplies what is under it."""
    size = round(seal.diameter * dpi / 72)
    mask = seal_mask(name, size).rotate(seal.rotation, Image.Resampling.BICUBIC)
    alpha = np.asarray(mask, np.float32) / 255.0
    # Ink is never even: blotches where the pad was dry, one side pressed harder, a fine grain.
    blotch = Image.fromarray((nrng.uniform(0.45, 1.0, (7, 7)) * 255).astype(np.uint8), "L")
    alpha *= np.asarray(blotch.resize((size, size), Image.Resampling.BICUBIC), np.float32) / 255.0
    theta = rng.uniform(0, 2 * math.pi)
    ramp = np.linspace(-1, 1, size, dtype=np.float32)
    alpha *= 0.85 + 0.15 * (math.cos(theta) * ramp[None, :] + math.sin(theta) * ramp[:, None])
    alpha *= nrng.uniform(0.75, 1.0, (size, size)).astype(np.float32)
    alpha = np.clip(alpha * seal.opacity, 0, 1)
    h, w = a.shape[:2]
    x0 = round(seal.center[0] * dpi / 72) - size // 2
    y0 = round(seal.center[1] * dpi / 72) - size // 2
    # The part of the seal that falls on the sheet.
    sx0, sy0 = max(0, -x0), max(0, -y0)
    sx1, sy1 = min(size, w - x0), min(size, h - y0)
    if sx0 >= sx1 or sy0 >= sy1:
        return
    region = a[y0 + sy0 : y0 + sy1, x0 + sx0 : x0 + sx1]
    cover = alpha[sy0:sy1, sx0:sx1, None]
    region *= 1 - cover * (1 - _SEAL_RED)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    from gongkai.dashboards.fonts import font_path  # the project's Noto Sans CJK SC, shipped by mplfonts

    return ImageFont.truetype(str(font_path()), size)


def seal_mask(name: str, size: int) -> Image.Image:
    """A round official seal (公章) as an L-mode mask `size` pixels across, 255 where it inks.

    As the standard 42 mm seal of a government body: a ring, a five-pointed star in the middle, the
    body's name in narrow upright characters round the top inside the ring, each facing outwards.
    """
    ss = 3  # drawn large and scaled down, for smooth edges
    big = size * ss
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    c = big / 2
    radius = big / 2
    ring = max(2.0, radius * 0.065)
    draw.ellipse((0, 0, big - 1, big - 1), outline=255, width=round(ring))  # inked inwards from the rim
    # The star: a third of the diameter across, its point straight up.
    outer, inner = radius * 0.34, radius * 0.34 * 0.382
    points = []
    for k in range(10):
        r = outer if k % 2 == 0 else inner
        t = math.radians(-90 + 36 * k)
        points.append((c + r * math.cos(t), c + r * math.sin(t)))
    draw.polygon(points, fill=255)
    if name:
        n = len(name)
        char_h = radius * 0.38  # each character's box, radially
        r_mid = radius - ring * 2.2 - char_h / 2
        span = min(270.0, max(150.0, 24.0 * n))  # degrees of arc, centred on the top
        step = span / max(n - 1, 1)
        char_w = min(char_h * 0.82, r_mid * math.radians(step) * 0.92)
        em = round(char_h)
        font = _font(em)  # a CJK glyph inks about 0.9 of its em: it stays inside the box
        for i, ch in enumerate(name):
            glyph = Image.new("L", (em, em), 0)
            ImageDraw.Draw(glyph).text(
                (em / 2, em / 2), ch, font=font, fill=255, anchor="mm", stroke_width=max(1, em // 30), stroke_fill=255
            )
            glyph = glyph.resize((max(1, round(em * char_w / char_h)), em), Image.Resampling.LANCZOS)
            t = -span / 2 + i * step if n > 1 else 0.0  # clockwise from the top
            glyph = glyph.rotate(-t, Image.Resampling.BICUBIC, expand=True)
            x = c + r_mid * math.sin(math.radians(t)) - glyph.width / 2
            y = c - r_mid * math.cos(math.radians(t)) - glyph.height / 2
            mask.paste(255, (round(x), round(y)), glyph)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def _write_pdf(target: Path, jpegs: list[bytes], sizes: list[tuple[float, float]], device: str) -> None:
    """One JPEG per page filling a page of the source's size, its bytes embedded as they are (DCTDecode).

    Written directly: the format needs a dozen lines here, and reportlab's drawImage decodes every image
    just to name it.
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 3 * i} 0 R" for i in range(len(jpegs)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(jpegs)} >>".encode())
    objects.append(f"<< /Creator ({device}) /Producer ({device}) >>".encode())
    for i, (data, (w, h)) in enumerate(zip(jpegs, sizes, strict=True)):
        px_w, px_h = Image.open(io.BytesIO(data)).size
        image = 6 + 3 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.4f} {h:.4f}] /Contents {5 + 3 * i} 0 R"
            f" /Resources << /XObject << /Scan {image} 0 R >> >> >>".encode()
        )
        objects.append(_stream(f"q {w:.4f} 0 0 {h:.4f} 0 0 cm /Scan Do Q".encode(), ""))
        objects.append(
            _stream(
                data,
                f"/Type /XObject /Subtype /Image /Width {px_w} /Height {px_h} /ColorSpace /DeviceRGB"
                " /BitsPerComponent 8 /Filter /DCTDecode",
            )
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    target.write_bytes(bytes(out))


def _stream(data: bytes, entries: str) -> bytes:
    head = " ".join(filter(None, ("<<", entries, f"/Length {len(data)}", ">>")))
    return head.encode() + b"\nstream\n" + data + b"\nendstream"
