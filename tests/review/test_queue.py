from review.queue import QueueFilter, needs_of, review_queue
from review.results import ReviewItem


def record(template, confidence=1.0, repaired=0, breaks=0, agency="甲乡", year=2023, blank_table=None):
    fields = {}
    for n, (key, spec) in enumerate(template.fields.items()):
        if spec.optional:
            continue
        value = None if spec.table == blank_table else 1
        fields[key] = {"value": value, "text": str(value), "confidence": confidence if n == 0 else 1.0,
                       "repaired": n < repaired, "page": 1, "bbox": None, "offset": None}
    checks = [{"identity": i.name, "holds": n >= breaks, "source_breaks": n < breaks}
              for n, i in enumerate(template.identities)]
    return {"source": f"{agency}.pdf", "status": "ok", "error": None, "template": template.id, "agency": agency,
            "year": year, "fields": fields, "checks": checks, "warnings": []}


def test_needs_count_what_a_human_must_look_at(templates):
    template = templates["2021"]
    needs = needs_of(ReviewItem(1, record(template, 0.6, repaired=3, breaks=2, blank_table="proactive")), templates, 0.95)
    assert (needs.min_confidence, needs.low_confidence, needs.repaired, needs.source_breaks, needs.unread_tables) == \
        (0.6, 1, 3, 2, 1)
    error = needs_of(ReviewItem(2, {"status": "error", "error": {"code": "pdf_corrupt", "message": "x"}}), templates, 0.95)
    assert error.error == "pdf_corrupt"


def test_queue_order_errors_unread_tables_confidence_repairs_then_verified_last(templates):
    t = templates["2021"]
    items = [
        ReviewItem(1, record(t)),
        ReviewItem(2, record(t, confidence=0.7)),
        ReviewItem(3, record(t, confidence=0.9)),
        ReviewItem(4, record(t, confidence=0.9, repaired=2)),
        ReviewItem(5, {"source": "bad.pdf", "status": "error", "error": {"code": "pdf_corrupt", "message": "m"}}),
        ReviewItem(6, record(t, blank_table="requests")),
        ReviewItem(7, record(t, confidence=0.5)),
    ]
    order = [e.item.number for e in review_queue(items, templates, verified={7}, low_confidence=0.95)]
    assert order == [5, 6, 2, 4, 3, 1, 7]


def test_filters_by_agency_year_and_status(templates):
    t = templates["2021"]
    items = [ReviewItem(1, record(t, agency="甲乡", year=2022)), ReviewItem(2, record(t, agency="乙镇", year=2023)),
             ReviewItem(3, {"source": "x", "status": "error", "error": {"code": "not_found", "message": "m"}})]

    def numbers(where):
        return [e.item.number for e in review_queue(items, templates, {2}, 0.95, where)]

    assert numbers(QueueFilter(agency="乙")) == [2]
    assert numbers(QueueFilter(year=2022)) == [1]
    assert numbers(QueueFilter(status="error")) == [3]
    assert numbers(QueueFilter(status="verified")) == [2]
    assert numbers(QueueFilter(status="to_review")) == [3, 1]
