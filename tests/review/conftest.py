import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def extract(inputs: list[Path], out: Path) -> Path:
    from govreport.cli import main

    assert main(["extract", *map(str, inputs), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def extracted(tmp_path_factory) -> Path:
    """`extract` run once on two fast samples (a text copy and a digital PDF), sources beside it."""
    root = tmp_path_factory.mktemp("extracted")
    sources = root / "sources"
    sources.mkdir()
    for name in ("00000_text_tabs.txt", "00008_pdf.pdf"):
        shutil.copy(SAMPLES / name, sources / name)
    return extract([sources / "00000_text_tabs.txt", sources / "00008_pdf.pdf"], root / "results")


@pytest.fixture
def workspace(extracted, tmp_path) -> dict[str, Path]:
    """A fresh copy of the results and their sources, a malformed line and a missing source added,
    with an empty labels folder beside them."""
    shutil.copytree(extracted.parent / "sources", tmp_path / "sources")
    results = tmp_path / "results"
    results.mkdir()
    lines = (extracted / "extractions.jsonl").read_text(encoding="utf-8")
    lines = lines.replace(str(extracted.parent / "sources"), "sources")  # relative, as extract writes them
    lines += "{not json\n"
    lines += '{"source": "sources/gone.pdf", "sha256": null, "status": "error", ' \
             '"error": {"code": "not_found", "message": "no such file"}}\n'
    (results / "extractions.jsonl").write_text(lines, encoding="utf-8")
    return {"root": tmp_path, "results": results, "labels": tmp_path / "labels", "sources": tmp_path}


def review_config(workspace: dict[str, Path], model: Path | None = None):
    from review.app import ReviewConfig

    return ReviewConfig(results=workspace["results"], labels=workspace["labels"], sources=workspace["sources"],
                        model=model or workspace["root"] / "no-model")
