"""Shared test fixtures. ../shared (real reports, format doc) is beside the repo in CI; in a user's
clone it is absent and the tests that need it skip, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REAL_REPORTS = SHARED / "real-reports"


@pytest.fixture
def real_reports() -> Path:
    if not REAL_REPORTS.is_dir():
        pytest.skip(f"../shared/real-reports is not beside this clone ({REAL_REPORTS}); CI always has it")
    return REAL_REPORTS
