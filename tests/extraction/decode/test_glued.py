"""Crawled pages glue their cells: rows split as printed, every cell filled, and a document's own break
reported on the identity its digits put it on."""

from extraction.decode.decoder import Priors, decode, glued_document
from extraction.decode.evidence import RowEvidence, Unit
from extraction.decode.value_model import load_value_model

APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")


def _glued_requests(rows: dict[str, str]) -> list[RowEvidence]:
    return [RowEvidence("requests", row, [Unit(text)]) for row, text in rows.items()]


def test_a_page_of_glued_rows_is_told_from_one_with_separate_cells():
    glued = _glued_requests({"new": "0000000", "carried_over": "0000000", "total": "1000001"})
    assert glued_document([(r, 7) for r in glued])
    separate = [RowEvidence("requests", "new", [Unit(d) for d in "1000001"])]
    assert not glued_document([(r, 7) for r in separate])


def test_a_source_break_inside_a_glued_table_is_reported_where_the_digits_put_it(templates):
    template = templates["2021"]
    # 复议 0/0/2/0/2, 直接起诉 0/0/0/0/0, 复议后起诉 13/2/4/0/15: 13+2+4+0 = 19 ≠ 15, printed so.
    rows = _glued_requests({"new": "2000002", "carried_over": "0000000", "granted": "2000002", "total": "2000002",
                            "carried_forward": "0000000"})
    rows.append(RowEvidence("review_litigation", "review", [Unit("00202000001324015")],
                            also=("litigation_direct", "litigation_after_review")))
    decoded = decode(template, rows, priors=Priors(load_value_model()))
    after = [decoded.fields[f"review_litigation.litigation_after_review.{c}"].value
             for c in ("upheld", "corrected", "other", "pending", "total")]
    assert after == [13, 2, 4, 0, 15]
    assert [c.identity for c in decoded.checks if c.source_breaks] == ["review_litigation.total.litigation_after_review"]
    assert decoded.fields["requests.new.natural_person"].value == 2 and decoded.fields["requests.new.commercial"].value == 0


def test_a_glued_proactive_row_fills_all_three_cells(templates):
    rows = _glued_requests({"new": "1400000 14".split()[0], "total": "140000014"})
    rows[0].units.append(Unit("14"))
    rows.append(RowEvidence("proactive", "normative_docs", [Unit("2159165")]))
    decoded = decode(templates["2021"], rows, priors=Priors(load_value_model()))
    assert [decoded.fields[f"proactive.normative_docs.{c}"].value for c in ("issued", "repealed", "in_force")] == [21, 59, 165]
    assert [decoded.fields[f"requests.new.{c}"].value for c in APPLICANTS] == [14, 0, 0, 0, 0, 0, 14]
