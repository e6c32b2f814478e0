"""End to end in a real browser: Playwright drives Debian's chromium headless (Playwright's own
browser download is not used) against the review page served by uvicorn on 127.0.0.1."""

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
playwright = pytest.importorskip("playwright.sync_api")

from review.app import ReviewConfig, create_app  # noqa: E402
from tests.review.conftest import SAMPLES, extract  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CORRECTED = "requests.new.natural_person"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    """`extract` on the bundled scan (image-only PDF, read by OCR) and the text sample."""
    root = tmp_path_factory.mktemp("scanned")
    for name in ("00009_scan.pdf", "00000_text_tabs.txt"):
        shutil.copy(SAMPLES / name, root / name)
    return extract([root / "00009_scan.pdf", root / "00000_text_tabs.txt"], root / "results")


@pytest.fixture
def server(scanned, templates, tmp_path):
    import uvicorn

    config = ReviewConfig(results=scanned, labels=tmp_path / "labels", sources=scanned.parent,
                          model=Path(__file__).resolve().parents[2] / "models" / "default")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    web = uvicorn.Server(uvicorn.Config(create_app(config, templates), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not web.started:
        assert time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", config
    web.should_exit = True
    thread.join(timeout=10)


@pytest.mark.heavy
def test_correct_a_scanned_cell_and_save_it_as_gold(server, scanned):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/bootstrap.sh installs it)")
    url, config = server
    record = json.loads((scanned / "extractions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    read = record["fields"][CORRECTED]["value"]
    corrected = read + 5
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url + "/")
            # the scan needs a human most (a low-confidence cell, a source break): first in the queue
            assert "00009_scan.pdf" in page.locator("#queue tbody tr").first.inner_text()
            page.locator("#queue a.open", has_text="00009_scan.pdf").click()
            page.wait_for_selector("#page-image")

            cell = page.locator(f'input.cell[data-key="{CORRECTED}"]')
            assert cell.input_value() == str(read)
            cell.click()
            page.wait_for_function("document.getElementById('page-image').complete")
            assert page.locator("#highlight").is_visible()  # the cell's box on the page image
            assert CORRECTED in page.locator("#explain").inner_text()
            broken_before = page.locator("#broken-count").inner_text()

            page.keyboard.type(str(corrected))  # the cell's text is selected on focus: typing replaces it
            assert "broken" in page.locator("#broken-count").inner_text()
            assert page.locator("#broken-count").inner_text() != broken_before  # identities rechecked live
            page.keyboard.press("Enter")  # commits and moves down a row
            below = page.evaluate("document.activeElement.dataset.key")
            assert below == "requests.carried_over.natural_person"
            page.keyboard.press("ArrowRight")
            assert page.evaluate("document.activeElement.dataset.key") == "requests.carried_over.commercial"
            page.keyboard.press("Delete")  # emptied: null, not 0
            page.keyboard.press("Control+Enter")
            page.wait_for_selector("#save-status.saved")
            assert "verified" in page.locator("#verified-badge").inner_text()
            assert not errors, errors

            gold = json.loads((config.labels / "00009_scan.json").read_text(encoding="utf-8"))
            assert gold["fields"][CORRECTED] == corrected
            assert gold["fields"]["requests.carried_over.commercial"] is None
            assert gold["template"] == record["template"] and gold["agency"] == record["agency"]
            assert (config.labels / "00009_scan.pdf").read_bytes() == (scanned.parent / "00009_scan.pdf").read_bytes()

            page.reload()  # reopening shows the saved label
            assert page.locator(f'input.cell[data-key="{CORRECTED}"]').input_value() == str(corrected)
            assert page.locator('input.cell[data-key="requests.carried_over.commercial"]').input_value() == ""
        finally:
            browser.close()
