"""The parser against a generated county covering every layout and every form the generator knows (PDFs
from WPS/Word and from a browser's print, web pages in UTF-8 and GB2312, Word files), cell for cell; and
against a county whose townships write as real ones do (demo.untidy), every kind of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.parsers import parse_report

pytestmark = pytest.mark.slow  # writes and reads a whole county


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("county")
    write_corpus(out, townships=12, years=(2020, 2024), seed=2024, workers=1)
    return out


@pytest.fixture(scope="module")
def untidy_corpus(tmp_path_factory) -> Path:
    from gongkai.demo.corpus import write_corpus

    out = tmp_path_factory.mktemp("untidy")
    write_corpus(out, townships=12, years=(2019, 2025), seed=3, workers=1, untidy=1.0)
    return out


def _read_as_truth(corpus: Path) -> tuple[dict[str, set], dict[str, set]]:
    """Every report of `corpus` read exactly as its truth; the values each layout switch took, and the
    form each medium was read as."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "reports").glob("*.json"))]
    assert len(truths) >= 50
    layouts: dict[str, set] = {}
    formats: dict[str, set] = {}
    for truth in truths:
        pdf = corpus / "reports" / truth["file"]
        report = parse_report(pdf)
        formats.setdefault(truth["layout"]["medium"], set()).add(report.source_format)
        assert report.values == truth["cells"], pdf.name
        assert sorted(c.code for c in report.unreadable) == sorted(truth["unreadable"]), pdf.name
        published = report.published_on.isoformat() if report.published_on else None
        assert (report.body, report.year, report.template, published) == (
            truth["body"],
            truth["year"],
            truth["template"],
            truth["published_on"],
        ), pdf.name
        assert report.missing_rows == truth["missing_rows"], pdf.name
        for key, value in truth["layout"].items():
            layouts.setdefault(key, set()).add(json.dumps(value, sort_keys=True))
    return layouts, formats


def test_every_report_matches_its_truth(corpus):
    layouts, formats = _read_as_truth(corpus)
    # The corpus really covers the variants: each layout switch takes more than one value (but the real
    # townships' untidiness, which the default county leaves out: the next test's).
    assert layouts.pop("quirks") == {"[]"}
    assert all(len(values) > 1 for values in layouts.values()), layouts
    assert formats == {
        "pdf": {"pdf"},
        "browser_pdf": {"pdf"},
        "html": {"html"},
        "html_gb2312": {"html"},
        "docx": {"docx"},
    }


def test_every_untidy_report_matches_its_truth(untidy_corpus):
    from gongkai.demo.untidy import KINDS

    layouts, formats = _read_as_truth(untidy_corpus)
    kinds = {kind for value in layouts["quirks"] for kind in json.loads(value)}
    assert kinds == set(KINDS)
    assert set(formats) == {"pdf", "browser_pdf", "html", "html_gb2312", "docx"}
