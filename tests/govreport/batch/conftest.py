import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.extraction.ingest.conftest import FONT

CHEAP_STYLES = "text_tabs,text_pipes,text_cells,text_garbled,web,markdown,html,docx,pdf"


@pytest.fixture(scope="session")
def synth_reports(tmp_path_factory) -> Path:
    """20 synthetic reports of mixed forms (text, markup, DOCX, digital PDF), gold beside them."""
    from govreport.cli import main

    out = tmp_path_factory.mktemp("synth20")
    assert main(["synth", "--n", "20", "--seed", "41", "--styles", CHEAP_STYLES, "--out", str(out)]) == 0
    (out / "manifest.jsonl").unlink()
    return out


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.endswith(".json"))


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def slow_scan(tmp_path) -> Path:
    """A page image dense with numbers (90 lines of ten): some 900 boxes to recognise, ≥ 6 s of OCR
    here, so a worker is surely still on it when it is killed or its time is up."""
    path = tmp_path / "slow" / "numbers.png"
    path.parent.mkdir()
    page = Image.new("L", (1700, 2400), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 22)
    for line in range(90):
        draw.text((40, 20 + 26 * line), "  ".join(str(line * 7919 + k * 104729) for k in range(10)), fill=0, font=font)
    page.save(path)
    return path
