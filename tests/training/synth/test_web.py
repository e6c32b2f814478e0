"""The web style glues tables as crawlers glue `<td>` cells."""

import json
import re

import pytest

from training.synth.factory import SynthOptions, synthesize


@pytest.fixture(scope="module")
def pages(templates, tmp_path_factory):
    out = tmp_path_factory.mktemp("web")
    entries = synthesize(SynthOptions(n=16, seed=4401, out=out, styles=("web",)), templates, log=lambda m: None)
    return [(out / e.document, json.loads((out / e.gold).read_text(encoding="utf-8"))) for e in entries]


def test_request_rows_are_glued_to_their_labels_and_the_next_numbering(pages):
    for path, gold in pages:
        text = path.read_text(encoding="utf-8")
        assert "\t" not in text and "|" not in text
        values = [gold["fields"][f"requests.carried_over.{c}"] for c in
                  ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")]
        digits = "".join(str(v) for v in values if v is not None)
        # 二、上年结转…数量 then its cells, glued (an &nbsp; space may fall between cells), then 三、
        found = re.search(r"上年结转政府信息公开申请数量 ?([\d ]+)三", text)
        assert found and found.group(1).replace(" ", "") == digits


def test_unprinted_cells_are_null_in_the_gold(pages):
    without_rules = [(p, g) for p, g in pages if "规章" not in p.read_text(encoding="utf-8").split("三、收到")[0]]
    assert without_rules, "no page without a 规章 row among 16"
    for _, gold in without_rules:
        assert all(v is None for k, v in gold["fields"].items() if k.startswith("proactive.rules."))


def test_the_pages_read_back_exactly_enough(pages, templates):
    from extraction.pipeline import ExtractOptions, Extractor
    from eval.metrics import values_equal

    extractor = Extractor(ExtractOptions(), templates)
    right = total = 0
    for path, gold in pages:
        record = extractor.extract(path)
        total += len(gold["fields"])
        right += sum(values_equal(record["fields"][k]["value"], v) for k, v in gold["fields"].items())
    assert right / total > 0.995
