"""The metrics pinned on hand-made cases."""


from eval.metrics import Coverage, DocumentAccuracy, FieldAccuracy, IdentityChecks, Repairs, Scored, SectionAccuracy, \
    SystemScore, values_equal


def _gold(template, **values):
    fields = {k: 0 for k in template.field_keys()}
    fields.update(values)
    return {"template": template.id, "agency": "某乡", "year": 2023, "fields": fields,
            "sections": [{"number": "一", "title": "总体情况", "canonical": "overview"},
                         {"number": "二", "title": "主动公开政府信息情况", "canonical": "proactive"}],
            "source_breaks": []}


def _record(gold, changes=None, confidence=0.99, **extra):
    fields = {k: {"value": v, "text": None if v is None else str(v), "confidence": confidence, "repaired": False}
              for k, v in gold["fields"].items()}
    for key, value in (changes or {}).items():
        fields[key] = {**fields[key], **value}
    record = {"status": "ok", "template": gold["template"], "agency": gold["agency"], "year": gold["year"],
              "fields": fields, "sections": list(gold["sections"]), "checks": []}
    record.update(extra)
    return record


def _score(metric, template, gold, record, doc_id="d", style="text"):
    metric.update(Scored(doc_id, style, gold, record, template))
    return metric.summary()


def test_null_and_zero_differ_and_decimals_compare_to_three_places():
    assert not values_equal(None, 0) and not values_equal(0, None) and values_equal(None, None)
    assert values_equal(435.5321, 435.532) and values_equal(7539.443252, 7539.4433)
    assert not values_equal(435.53, 435.532)
    assert values_equal(3, 3.0) and not values_equal(True, 1)


def test_field_accuracy_overall_per_table_and_non_zero(templates):
    template = templates["2021"]
    gold = _gold(template, **{"requests.new.total": 5, "proactive.fees.amount": 12.5})
    record = _record(gold, {"requests.new.total": {"value": 4}, "requests.new.research": {"value": None}})
    summary = _score(FieldAccuracy(), template, gold, record)
    overall = summary["overall"]["all"]
    assert overall["all"] == {"right": 198, "total": 200, "accuracy": 0.99}
    assert overall["non_zero"] == {"right": 1, "total": 2, "accuracy": 0.5}  # 12.5 right, 5 wrong
    assert summary["table"]["proactive"]["all"]["accuracy"] == 1.0
    assert summary["row"]["requests.new"]["all"] == {"right": 5, "total": 7, "accuracy": 5 / 7}
    assert summary["column"]["requests.research"]["all"]["right"] == 24
    assert summary["style"]["text"]["all"]["total"] == 200


def test_missing_and_errored_documents_count_every_field_wrong(templates):
    template = templates["2021"]
    gold = _gold(template)
    metric = FieldAccuracy()
    metric.update(Scored("missing", "pdf", gold, None, template))
    metric.update(Scored("broken", "pdf", gold, {"status": "error", "error": {"code": "pdf_corrupt"}}, template))
    assert metric.summary()["overall"]["all"]["all"] == {"right": 0, "total": 400, "accuracy": 0.0}
    documents = DocumentAccuracy()
    documents.update(Scored("missing", "pdf", gold, None, template))
    documents.update(Scored("broken", "pdf", gold, {"status": "error", "error": {"code": "pdf_corrupt"}}, template))
    summary = documents.summary()
    assert summary["document_perfect"]["accuracy"] == 0.0 and summary["agency"]["right"] == 0
    assert summary["not_extracted"] == {"missing": 1, "pdf_corrupt": 1}


def test_a_missing_key_is_wrong_even_where_gold_is_null(templates):
    template = templates["2021"]
    gold = _gold(template, **{"requests.new.total": None})
    record = _record(gold)
    del record["fields"]["requests.new.total"]
    assert _score(FieldAccuracy(), template, gold, record)["overall"]["all"]["all"]["right"] == 199


def test_document_perfect_and_meta(templates):
    template = templates["2021"]
    gold = _gold(template)
    summary = _score(DocumentAccuracy(), template, gold, _record(gold, agency="别的乡", year=2023))
    assert summary["document_perfect"]["accuracy"] == 1.0
    assert summary["agency"]["accuracy"] == 0.0 and summary["year"]["accuracy"] == 1.0


def test_section_matching_ignores_spacing_and_punctuation_width(templates):
    template = templates["2021"]
    gold = _gold(template)
    gold["sections"].append({"number": "三", "title": "强化组织领导，完善制度建设", "canonical": None})
    record = _record(gold, sections=[
        {"number": "一", "title": "总体 情况", "canonical": "overview"},
        {"number": "二", "title": "主动公开政府信息情况", "canonical": None},  # found, wrong canonical id
        {"number": "三", "title": "强化组织领导,完善制度建设。", "canonical": None},
        {"number": "四", "title": "结转下年度继续办理", "canonical": None}])  # not a heading
    summary = _score(SectionAccuracy(), template, gold, record)
    assert summary["precision"] == 3 / 4 and summary["recall"] == 1.0
    assert summary["canonical_accuracy"] == 2 / 3


def test_identities_and_source_break_detection(templates):
    template = templates["2021"]
    gold = _gold(template, **{"review_litigation.review.upheld": 10, "review_litigation.review.total": 0})
    gold["source_breaks"] = ["review_litigation.total.review"]
    record = _record(gold, checks=[{"identity": "review_litigation.total.review", "holds": False, "source_breaks": True},
                                   {"identity": "requests.balance.total", "holds": False, "source_breaks": True}])
    summary = _score(IdentityChecks(), template, gold, record)
    assert summary["source_break_precision"] == 0.5 and summary["source_break_recall"] == 1.0
    satisfaction = summary["identity_satisfaction"]
    # Every identity but the optional collapsed （六） row's, which this document does not print.
    assert satisfaction["total"] == len(template.identities) - 1 == 42
    assert satisfaction["right"] == 41  # 0 ≠ 10: the printed break


def test_repair_precision_and_recall(templates):
    template = templates["2021"]
    gold = _gold(template, **{"requests.new.total": 8, "requests.new.natural_person": 8, "requests.total.total": 9})
    record = _record(gold, {
        "requests.new.total": {"value": 8, "text": "3", "repaired": True},          # misread, repaired right
        "requests.new.natural_person": {"value": 6, "text": "6", "repaired": False},  # misread, not repaired
        "requests.total.total": {"value": 7, "text": "9", "repaired": True},          # read right, repaired wrong
    })
    summary = _score(Repairs(), template, gold, record)
    assert summary["repaired"] == 2 and summary["repair_precision"] == 0.5
    assert summary["misread_fields"] == 2 and summary["repair_recall"] == 0.5


def test_coverage_curve(templates):
    template = templates["2019"]
    gold = _gold(template)
    keys = list(gold["fields"])
    changes = {keys[0]: {"value": 1, "confidence": 0.5}, keys[1]: {"confidence": 0.8}}
    metric = Coverage()
    metric.update(Scored("d", "text", gold, _record(gold, changes, confidence=0.995), template))
    metric.update(Scored("missing", "text", gold, None, template))
    curve = {p["threshold"]: p for p in metric.curve((0.0, 0.7, 0.99, 0.999))}
    total = 2 * len(keys)
    assert curve[0.0]["kept"] == len(keys) / total and curve[0.0]["accuracy"] == (len(keys) - 1) / len(keys)
    assert curve[0.7]["kept"] == (len(keys) - 1) / total and curve[0.7]["accuracy"] == 1.0
    assert curve[0.99]["kept"] == (len(keys) - 2) / total
    assert curve[0.999]["kept"] == 0 and curve[0.999]["accuracy"] is None
    assert metric.summary()["unscored_fields"] == len(keys)


def test_system_score_summary_has_every_part(templates):
    template = templates["2021"]
    gold = _gold(template)
    score = SystemScore()
    score.update(Scored("d", "text", gold, _record(gold), template))
    assert set(score.summary()) == {"fields", "documents", "sections", "identities", "repairs", "coverage", "breakdown",
                                    "speed"}
