from pathlib import Path

import pytest

REAL_REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "real-reports"


@pytest.fixture(scope="session")
def templates():
    from extraction.templates import load_templates

    return load_templates()


@pytest.fixture(scope="session")
def real_reports_dir() -> Path:
    if not REAL_REPORTS.is_dir():
        pytest.skip(f"real reports not found at {REAL_REPORTS}")
    return REAL_REPORTS
