import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from review.app import create_app  # noqa: E402
from tests.review.conftest import review_config  # noqa: E402


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def client(workspace, templates):
    return local_client(workspace, templates)


def local_client(workspace, templates) -> TestClient:
    return TestClient(create_app(review_config(workspace), templates), base_url="http://127.0.0.1:8765")


def document_numbers(client) -> dict[str, int]:
    page = client.get("/").text
    return {name: int(page.split(f'">sources/{name}')[0].rsplit("/doc/", 1)[1]) for name in
            ("00000_text_tabs.txt", "00008_pdf.pdf")}


def every_value(client, number: int, template: str, changes: dict) -> dict:
    """The fields a page would post: the record's values with `changes` made."""
    page = client.get(f"/doc/{number}").text
    data = json.loads(page.split('<script type="application/json" id="doc-data">')[1].split("</script>")[0])
    assert data["template"] == template
    fields = {key: field["value"] for key, field in data["fields"].items()}
    fields.update(changes)
    return fields


def test_queue_lists_every_record_most_in_need_first(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    # the malformed line and the error record need a human most; both come before the read documents
    assert text.index("malformed_record") < text.index("00000_text_tabs.txt")
    assert text.index("not_found") < text.index("00008_pdf.pdf")
    assert "<b>4</b> documents" in text and "<b>2</b> errors" in text
    filtered = client.get("/", params={"status": "error"}).text
    assert "00008_pdf.pdf" not in filtered and "not_found" in filtered
    assert "00008_pdf.pdf" in client.get("/", params={"year": 2019}).text
    assert "00000_text_tabs.txt" not in client.get("/", params={"agency": "昔阳县"}).text


def test_document_view_lays_out_the_form_and_explains_cells(client):
    numbers = document_numbers(client)
    page = client.get(f"/doc/{numbers['00008_pdf.pdf']}")
    assert page.status_code == 200
    assert "申请人情况" in page.text and "第二十条第（九）项" in page.text  # the 2019 form's table 二 blocks
    assert page.text.count('class="cell"') == 198
    assert f'src="/doc/{numbers["00008_pdf.pdf"]}/page/1"' in page.text
    image = client.get(f"/doc/{numbers['00008_pdf.pdf']}/page/1")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    text_view = client.get(f"/doc/{numbers['00000_text_tabs.txt']}").text
    assert 'id="source-text"' in text_view and "绍兴市" in text_view


def test_verified_saves_gold_and_document_and_reopens_with_it(client, workspace, templates):
    number = document_numbers(client)["00000_text_tabs.txt"]
    fields = every_value(client, number, "2021", {"requests.new.commercial": None, "requests.new.research": 0})
    answer = client.post(f"/doc/{number}/label", json={"template": "2021", "agency": "绍兴市人民政府",
                                                       "year": 2024, "fields": fields})
    assert answer.status_code == 200, answer.text
    labels = workspace["labels"]
    assert sorted(p.name for p in labels.iterdir()) == ["00000_text_tabs.json", "00000_text_tabs.txt"]
    gold = json.loads((labels / "00000_text_tabs.json").read_text(encoding="utf-8"))
    assert set(gold) == {"template", "agency", "year", "fields", "sections", "source_breaks"}
    assert gold["fields"]["requests.new.commercial"] is None and gold["fields"]["requests.new.research"] == 0
    assert set(gold["fields"]) == set(templates["2021"].field_keys())
    broke = [i.name for i in templates["2021"].identities if not i.holds(gold["fields"])]
    assert gold["source_breaks"] == broke and answer.json()["source_breaks"] == broke
    assert (labels / "00000_text_tabs.txt").read_bytes() == (workspace["sources"] / "sources/00000_text_tabs.txt").read_bytes()
    reopened = client.get(f"/doc/{number}").text
    assert "verified: 00000_text_tabs.json" in reopened
    data = json.loads(reopened.split('id="doc-data">')[1].split("</script>")[0])
    assert data["gold"]["requests.new.commercial"] is None and data["gold"]["requests.new.research"] == 0
    assert "<b>1</b> label in" in client.get("/").text


@pytest.mark.parametrize("path", [
    "/doc/..%2F..%2Fetc%2Fpasswd", "/doc/../../etc/passwd", "/doc/1/page/..%2F..%2Fextractions.jsonl",
    "/doc/999", "/doc/-1", "/doc/abc", "/doc/1/page/0", "/doc/1/page/99", "/static/..%2Fapp.py",
    "/static/../../pyproject.toml", "/doc/%00", "/?year=twenty", "/?status=../../x",
])
def test_traversal_and_malformed_gets_are_4xx(client, workspace, path):
    before = files_under(workspace["root"])
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert "root:" not in response.text and "import" not in response.text
    assert files_under(workspace["root"]) == before


def test_malformed_label_posts_are_4xx_and_write_nothing(client, workspace):
    number = document_numbers(client)["00000_text_tabs.txt"]
    good = every_value(client, number, "2021", {})
    before = files_under(workspace["root"])
    bad_requests = [
        b"{not json",
        json.dumps({"template": "2021", "fields": {**good, "../../evil": 1}}),
        json.dumps({"template": "2021", "fields": {k: v for k, v in good.items() if k != "requests.new.total"}}),
        json.dumps({"template": "2021", "fields": {**good, "requests.new.total": "12"}}),
        json.dumps({"template": "2021", "fields": {**good, "requests.new.total": True}}),
        json.dumps({"template": "2021", "fields": {**good, "requests.new.total": 1.5}}),
        json.dumps({"template": "2021", "fields": {**good, "requests.new.total": -3}}),
        json.dumps({"template": "../2021", "fields": good}),
        json.dumps({"template": "2021", "fields": good, "path": "/etc/passwd"}),
        json.dumps({"template": "2021", "year": "2024", "fields": good}),
        json.dumps([1, 2]),
    ]
    for body in bad_requests:
        response = client.post(f"/doc/{number}/label", content=body, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (body[:80], response.status_code)
    # a form another site could post without asking (no JSON content type), or a rebound host name
    plain = client.post(f"/doc/{number}/label", content=json.dumps({"template": "2021", "fields": good}),
                        headers={"Content-Type": "text/plain"})
    assert plain.status_code == 422
    rebound = client.post(f"/doc/{number}/label", json={"template": "2021", "fields": good},
                          headers={"Host": "attacker.example"})
    assert rebound.status_code == 400
    assert client.post("/doc/999/label", json={"template": "2021", "fields": good}).status_code == 404
    assert client.post("/doc/x/label", json={"template": "2021", "fields": good}).status_code == 422
    assert files_under(workspace["root"]) == before


def test_a_source_named_with_folder_parts_is_labelled_inside_the_labels_folder(workspace, templates):
    results = workspace["results"] / "extractions.jsonl"
    record = json.loads(results.read_text(encoding="utf-8").splitlines()[0])
    escaping = dict(record, source="../" * 12 + "etc/passwd", sha256=None)
    results.write_text(json.dumps(escaping, ensure_ascii=False) + "\n", encoding="utf-8")
    client = local_client(workspace, templates)
    fields = every_value(client, 1, record["template"], {})
    before = files_under(workspace["root"])
    answer = client.post("/doc/1/label", json={"template": record["template"], "fields": fields})
    assert answer.status_code == 200 and answer.json()["saved"] == "passwd.json"
    after = files_under(workspace["root"])
    # /etc/passwd is not read: a relative source stays inside the sources folder
    assert sorted(set(after) - set(before)) == ["labels/passwd.json"]
    assert {k: v for k, v in after.items() if k in before} == before


def test_a_source_changed_since_extraction_is_not_shown_or_copied(workspace, templates):
    (workspace["sources"] / "sources" / "00008_pdf.pdf").write_bytes(b"%PDF-1.4 another document")
    client = local_client(workspace, templates)
    number = document_numbers(client)["00008_pdf.pdf"]
    assert "is not the file the record was extracted from" in client.get(f"/doc/{number}").text
    assert client.get(f"/doc/{number}/page/1").status_code == 404
