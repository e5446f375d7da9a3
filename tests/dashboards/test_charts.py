"""Every chart's numbers are the warehouse's, read back with direct SQL; no glyph is missing."""

from __future__ import annotations

import warnings

import polars as pl
import pytest
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gongkai.dashboards import charts, data, sketch
from gongkai.dashboards.fonts import font_path, rc_params
from tests.dashboards.conftest import EVIL


def _sql(con, query: str, params=None) -> dict:
    return {row[0]: row[1] for row in con.execute(query, params or []).fetchall()}


def test_applications_chart_draws_each_township_by_applicant_type(con, tmp_path):
    chart = charts.applications_chart(con, tmp_path, 2023)
    assert not chart.path.exists()  # read, not drawn: drawing is `sketch.draw`, wherever the painter puts it
    assert sketch.draw([chart]) == [chart] and sketch.draw([chart]) == []  # the second time: already drawn
    assert chart.path.is_file() and "2023年" in chart.title and "件" in chart.title
    frame = chart.data
    # sorted, largest first; only the latest version of 甲镇 2023 (16, not the superseded 99)
    assert frame["township"].to_list() == ["甲镇", "乙乡"]
    jia = frame.filter(pl.col("township") == "甲镇").row(0, named=True)
    assert (jia["natural_person"], jia["commercial"], jia["research"], jia["other_org"], jia["drawn"]) == (
        10, 3, 1, 2, 16,
    )  # fmt: skip
    for col in ("natural_person", "commercial", "legal_services", "total"):
        expected = _sql(
            con,
            "SELECT r.township, f.value FROM facts f JOIN latest_reports r USING (report_id) "
            "WHERE r.year = 2023 AND f.table_code = 't3' AND f.row_code = 'new_received' AND f.col_code = ?",
            [col],
        )
        assert dict(frame.select("township", col).iter_rows()) == expected
    assert "未收到年度报告" in chart.note and EVIL in chart.note


def test_outcome_chart_groups_rows_and_shares_add_to_100(con, tmp_path):
    frame = charts.outcome_chart(con, tmp_path, 2023).data
    jia = frame.filter(pl.col("township") == "甲镇").row(0, named=True)
    assert (jia["granted"], jia["partially_granted"], jia["denied"], jia["unavailable"]) == (8, 2, 2, 2)
    assert (jia["not_processed"], jia["other"], jia["handled"]) == (1, 1, 16)
    assert jia["granted_pct"] == pytest.approx(50.0)
    denied = _sql(
        con,
        "SELECT r.township, sum(f.value) FROM facts f JOIN latest_reports r USING (report_id) "
        "WHERE r.year = 2023 AND f.table_code = 't3' AND f.col_code = 'total' AND f.row_code LIKE 'denied%' "
        "GROUP BY ALL",
    )
    assert dict(frame.select("township", "denied").iter_rows()) == denied
    pct = [c for c in frame.columns if c.endswith("_pct")]
    for total in frame.select(pl.sum_horizontal(pct)).to_series():
        assert total == pytest.approx(100.0)


def test_trend_small_multiples_match_the_cells(con, tmp_path):
    for indicator, code in (
        ("applications", ("t3", "new_received", "total")),
        ("licensing", ("t2", "licensing", "decisions")),
        ("penalty", ("t2", "penalty", "decisions")),
    ):
        frame = charts.trend_small_multiples(con, tmp_path, indicator).data
        expected = {
            (t, y): v
            for t, y, v in con.execute(
                "SELECT r.township, r.year, f.value FROM facts f JOIN latest_reports r USING (report_id) "
                "WHERE f.table_code = ? AND f.row_code = ? AND f.col_code = ?",
                list(code),
            ).fetchall()
        }
        drawn = {(t, y): v for t, y, v in frame.iter_rows()}
        assert drawn == expected
    assert drawn["甲镇", 2023] == 25 and drawn["乙乡", 2022] == 5


def test_flag_heatmap_counts_shown_flags_and_marks_missing_reports(con, tmp_path):
    frame = charts.flag_heatmap(con, tmp_path).data
    cells = {(t, y): (n, m) for t, y, n, m in frame.select("township", "year", "open_flags", "missing").iter_rows()}
    assert len(cells) == 3 * 2
    assert cells["甲镇", 2023] == (2, False)
    assert cells["乙乡", 2023] == (1, False)  # confirmed still shows
    assert cells["乙乡", 2022] == (0, False)  # dismissed does not
    assert cells[EVIL, 2023] == (0, True)
    expected = _sql(
        con,
        "SELECT township || year, count(*) FROM flags WHERE status IN ('open', 'confirmed') "
        "AND rule_id <> 'MISSING_REPORT' GROUP BY ALL",
    )
    assert {t + str(y): n for (t, y), (n, _) in cells.items() if n} == expected


def test_correction_rates_are_corrected_over_total(con, tmp_path):
    frame = charts.correction_chart(con, tmp_path, 2023).data
    jia = frame.filter(pl.col("township") == "甲镇").row(0, named=True)
    assert (jia["review_corrected"], jia["review_total"]) == (1, 4)
    assert jia["review_rate"] == pytest.approx(25.0)
    assert (jia["litigation_corrected"], jia["litigation_total"]) == (1, 1)  # direct + after review
    assert jia["litigation_rate"] == pytest.approx(100.0)
    yi = frame.filter(pl.col("township") == "乙乡").row(0, named=True)
    assert yi["review_rate"] == 0 and yi["litigation_rate"] is None  # no case is not 0%
    review_totals = _sql(
        con,
        "SELECT r.township, f.value FROM facts f JOIN latest_reports r USING (report_id) "
        "WHERE r.year = 2023 AND f.table_code = 't4' AND f.row_code = 'review' AND f.col_code = 'total'",
    )
    assert dict(frame.select("township", "review_total").iter_rows()) == review_totals


def test_county_totals_sum_latest_reports(con, tmp_path):
    frame = charts.county_totals_chart(con, tmp_path).data
    by_year = {row["year"]: row for row in frame.iter_rows(named=True)}
    assert by_year[2022]["reports"] == 3 and by_year[2023]["reports"] == 2
    assert by_year[2023]["applications"] == 16 + 5
    assert by_year[2023]["licensing"] == 150 + 55
    assert by_year[2023]["fees"] == pytest.approx(2.25)
    expected = _sql(
        con,
        "SELECT r.year, sum(f.value) FROM facts f JOIN latest_reports r USING (report_id) "
        "WHERE f.table_code = 't2' AND f.row_code = 'penalty' GROUP BY ALL",
    )
    assert dict(frame.select("year", "penalty").iter_rows()) == expected


def test_township_charts_show_one_township(con, tmp_path):
    trends, outcomes = data.trends(con), data.outcome_mix_by_year(con)
    trend, mix = charts.township_charts(tmp_path, "甲镇", "jia", trends, outcomes, data.years(con))
    sketch.draw([trend, mix])
    assert trend.data.select("year", "applications").rows() == [(2022, 8), (2023, 16)]
    assert mix.data.select("year", "granted").rows() == [(2022, 3), (2023, 8)]
    assert trend.path.is_file() and mix.path.is_file()


def test_every_chart_draws_without_a_missing_glyph(con, tmp_path):
    from gongkai.dashboards import build_dashboard

    assert font_path().is_file()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        build_dashboard(con, tmp_path)
    assert len(list((tmp_path / "charts").glob("*.png"))) == 8 + 2 * 3


def test_a_missing_glyph_would_fail(tmp_path):
    # the check above is real: a character the font lacks does raise under the same setting
    fig = Figure()
    FigureCanvasAgg(fig)
    with rc_context(rc_params()), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.text(0.5, 0.5, "乡镇 \U0001f600")
        with pytest.raises(UserWarning, match="missing from font"):
            fig.savefig(tmp_path / "x.png")
