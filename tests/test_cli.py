"""The CLI as a user meets it: messages, exit codes, and a fast start for `parse`."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.parsers.builder import Spec, build


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True)


def test_parse_does_not_import_prefect_or_matplotlib(tmp_path):
    pdf = build(tmp_path / "r.pdf", Spec(values={"t3.new_received.total": 5}))
    code = (
        "import sys, gongkai.cli; gongkai.cli.main(['parse', sys.argv[1], '--json']); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'matplotlib', 'polars', 'duckdb'}))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert json.loads(out.stdout[: out.stdout.rindex("}") + 1])["cells"]["t3.new_received.total"] == 5


def test_parse_rejects_a_non_pdf_with_reason_on_stderr(tmp_path):
    bad = tmp_path / "notice.pdf"
    bad.write_text("这不是 PDF", encoding="utf-8")
    out = _run("parse", str(bad), "--json")
    assert out.returncode == 2 and out.stdout == ""
    assert "[CORRUPT_PDF]" in out.stderr and "不是 PDF" in out.stderr


def test_parse_prints_chinese_labels_and_unreadable_cells(tmp_path):
    pdf = build(tmp_path / "r.pdf", Spec(values={"t4.review.other": "—", "t3.granted.total": 12}))
    out = _run("parse", str(pdf))
    assert out.returncode == 0
    assert "机关：汤旺河镇（标题印为：汤旺县汤旺河镇）" in out.stdout
    assert "发布日期：2023-01-12" in out.stdout
    granted = next(line for line in out.stdout.splitlines() if line.startswith("t3.granted.total"))
    assert granted.split()[1] == "12" and "（一）予以公开" in granted
    assert "无法读取（印为“—”）" in out.stdout


def test_parse_debug_draws_page_images(tmp_path):
    pdf = build(tmp_path / "r.pdf", Spec())
    out = _run("parse", str(pdf), "--debug", str(tmp_path / "dbg"))
    assert out.returncode == 0
    pngs = sorted(p.name for p in (tmp_path / "dbg").glob("*.png"))
    assert pngs and all(p.startswith("r-p") for p in pngs)
    assert (tmp_path / "dbg" / pngs[0]).read_bytes()[:4] == b"\x89PNG"
