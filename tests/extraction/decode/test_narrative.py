"""Narrative cross-checks: numbers the report's text states about a table cell."""

from extraction.decode.decoder import Priors, decode
from extraction.decode.evidence import RowEvidence, Unit
from extraction.decode.narrative import narrative_statements


def test_statements_are_read_from_the_text(templates):
    text = ("2024年，我局废止规范性文件6件，制定规范性文件15件，已公开。全年共收到政府信息公开申请 28 件。"
            "因依申请公开引发行政复议1起。")
    stated = narrative_statements(text, templates["2021"])
    assert {k: s.value for k, s in stated.items()} == {
        "proactive.normative_docs.repealed": 6, "proactive.normative_docs.issued": 15,
        "requests.new.total": 28, "review_litigation.review.total": 1}


def test_procurement_items_and_amount_in_the_2019_form(templates):
    stated = narrative_statements("全年政府集中采购197批次，采购金额3601627.4元。", templates["2019"])
    assert stated["proactive.procurement.items"].value == 197
    assert stated["proactive.procurement.amount"].value == 360.16274


def test_a_quantity_stated_twice_differently_is_left_out(templates):
    text = "收到政府信息公开申请3件。另受理信息公开申请5件。"
    assert "requests.new.total" not in narrative_statements(text, templates["2021"])


def test_the_narrative_decides_a_split_and_a_disagreement_is_warned(templates):
    template = templates["2021"]
    row = [RowEvidence("proactive", "normative_docs", [Unit("1522")])]  # 15/2/2 or 1/5/22 …
    stated = narrative_statements("制定规范性文件1件。", template)
    decoded = decode(template, row, priors=Priors(None, stated))
    assert decoded.fields["proactive.normative_docs.issued"].value == 1
    contradicted = decode(template, [RowEvidence("proactive", "normative_docs", [Unit("3"), Unit("0"), Unit("9")])],
                          priors=Priors(None, stated))
    assert contradicted.fields["proactive.normative_docs.issued"].value == 3  # the print stands
    assert any("narrative" in w and "proactive.normative_docs.issued" in w for w in contradicted.warnings)
