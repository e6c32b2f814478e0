import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

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
    """A page image of noise: ≥ 5 s of OCR (read in every orientation), so a worker is surely still on it
    when it is killed or its time is up."""
    path = tmp_path / "slow" / "noise.png"
    path.parent.mkdir()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (2400, 1700), dtype=np.uint8)).save(path)
    return path
