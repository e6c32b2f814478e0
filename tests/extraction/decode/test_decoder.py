"""Property-based: consistent tables, corrupted as flattening and OCR corrupt them, come back exactly;
tables whose document breaks an identity itself are never "repaired"."""

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extraction.decode.decoder import decode
from extraction.decode.evidence import RowEvidence, Unit
from extraction.decode.readings import UNREAD, ocr_readings
from training.synth.corrupt import as_ocr, evidence_from_fields, glue_row, misread_cells, shift_row
from training.synth.values import ValueOptions, sample_values

CONSISTENT = ValueOptions(source_break_share=0.0, blank_share=0.0)
BROKEN = ValueOptions(source_break_share=1.0, all_zero_share=0.0, blank_share=0.0)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
seeds = st.integers(0, 10**9)
template_ids = st.sampled_from(["2019", "2021"])


def _table(templates, template_id, seed, options=CONSISTENT):
    rng = random.Random(seed)
    template = templates[template_id]
    return rng, template, sample_values(rng, template, options)


def _wrong(decoded, fields):
    return {k: (v, decoded.fields[k].value) for k, v in fields.items() if decoded.fields[k].value != v}


@SETTINGS
@given(seed=seeds, template_id=template_ids)
def test_clean_grid_tables_come_back_exactly_without_repairs(templates, seed, template_id):
    rng, template, sampled = _table(templates, template_id, seed)
    decoded = decode(template, evidence_from_fields(template, sampled.fields, rng, with_column_hints=True))
    assert _wrong(decoded, sampled.fields) == {}
    assert not any(f.repaired for f in decoded.fields.values())
    assert all(c.holds and not c.source_breaks for c in decoded.checks)


@SETTINGS
@given(seed=seeds, template_id=template_ids)
def test_dropped_blank_cells_are_placed_so_identities_hold(templates, seed, template_id):
    # Flattened text loses blank cells: values come in order with no positions.
    rng, template, sampled = _table(templates, template_id, seed, ValueOptions(source_break_share=0.0, blank_share=1.0))
    decoded = decode(template, evidence_from_fields(template, sampled.fields, rng))
    values = {k: f.value for k, f in decoded.fields.items()}
    assert all(i.holds(values) for i in template.identities)
    assert not any(f.repaired for f in decoded.fields.values())
    for table in template.tables:  # every printed value lands in its own row, in order
        for row in table.rows:
            keys = [k for k in template.field_keys(True) if k.startswith(f"{table.key}.{row.key}.")
                    and k.count(".") == f"{table.key}.{row.key}.x".count(".")]
            printed = [sampled.fields.get(k) for k in keys if sampled.fields.get(k) is not None]
            assert [values[k] for k in keys if values.get(k) is not None] == printed


@SETTINGS
@given(seed=seeds, template_id=template_ids, count=st.sampled_from([1, 2]))
def test_misread_ocr_digits_are_repaired_and_marked(templates, seed, template_id, count):
    rng, template, sampled = _table(templates, template_id, seed)
    rows = evidence_from_fields(template, sampled.fields, rng, with_column_hints=True)
    as_ocr(rows, rng)
    changed = misread_cells(rows, rng, count)
    # Two misreads in one row can agree with each other (total and a part both 3→9): every identity
    # still holds and nothing can tell. Misreads in different rows always show.
    assume(len(changed) == count and len({row for row, _, _ in changed}) == count)
    decoded = decode(template, rows)
    assert _wrong(decoded, sampled.fields) == {}
    repaired = {k for k, f in decoded.fields.items() if f.repaired}
    assert {r for r, _, _ in changed} == {k.rsplit(".", 1)[0] for k in repaired}
    assert all(decoded.fields[k].text != str(decoded.fields[k].value) for k in repaired)
    assert all(c.holds for c in decoded.checks)


@SETTINGS
@given(seed=seeds, template_id=template_ids)
def test_a_glued_row_splits_into_a_consistent_reading_of_its_digits(templates, seed, template_id):
    rng, template, sampled = _table(templates, template_id, seed)
    rows = evidence_from_fields(template, sampled.fields, rng)
    candidates = [r for r in rows if r.table == "requests" and len(r.units) >= 2]
    assume(candidates)
    row = rng.choice(candidates)
    glued = glue_row(row)
    decoded = decode(template, rows)
    values = {k: f.value for k, f in decoded.fields.items()}
    assert all(i.holds(values) for i in template.identities)
    cells = [f.text for k, f in decoded.fields.items() if k.startswith(f"requests.{row.row}.")
             and k.count(".") == f"requests.{row.row}.x".count(".") and f.text is not None]
    assert "".join(cells) == glued


@SETTINGS
@given(seed=seeds, template_id=template_ids, by=st.sampled_from([-1, 1]))
def test_a_row_the_grid_shifts_is_realigned(templates, seed, template_id, by):
    rng, template, sampled = _table(templates, template_id, seed, ValueOptions(source_break_share=0.0, all_zero_share=0.0,
                                                                                 blank_share=0.0))
    rows = evidence_from_fields(template, sampled.fields, rng, with_column_hints=True)
    row = rng.choice([r for r in rows if r.table == "requests" and any(u.text != "0" for u in r.units)])
    shift_row(row, by)
    decoded = decode(template, rows)
    assert _wrong(decoded, sampled.fields) == {}


@SETTINGS
@given(seed=seeds, template_id=template_ids, ocr=st.booleans())
def test_source_breaks_are_reported_never_repaired(templates, seed, template_id, ocr):
    rng, template, broken = _table(templates, template_id, seed, BROKEN)
    rows = evidence_from_fields(template, broken.fields, rng, with_column_hints=True)
    if ocr:
        as_ocr(rows, rng)  # confidently read: the print is what it is
    decoded = decode(template, rows)
    assert _wrong(decoded, broken.fields) == {}
    assert not any(f.repaired for f in decoded.fields.values())
    assert sorted(c.identity for c in decoded.checks if c.source_breaks) == sorted(broken.source_breaks)
    assert all(c.source_breaks == (not c.holds) for c in decoded.checks)
    assert sum("breaks it as printed" in w for w in decoded.warnings) == len(broken.source_breaks)


def test_the_printed_collapsed_other_row_is_kept_and_its_sub_rows_stay_null(templates):
    template = templates["2021"]
    rows = [RowEvidence("requests", "other", [Unit("3"), Unit("3")]),
            RowEvidence("requests", "new", [Unit("3"), Unit("3")]),
            RowEvidence("requests", "total", [Unit("3"), Unit("3")])]
    decoded = decode(template, rows)
    assert decoded.fields["requests.other.natural_person"].value == 3
    assert decoded.fields["requests.other.total"].value == 3
    assert decoded.fields["requests.other.no_fee.total"].value is None
    assert set(decoded.fields) == set(template.field_keys(include_optional=True))


def test_output_carries_location_and_confidence(templates):
    template = templates["2021"]
    rows = [RowEvidence("review_litigation", "review",
                        [Unit(t, page=3, bbox=(10.0 * i, 0, 10.0 * i + 8, 10)) for i, t in enumerate("10000")])]
    decoded = decode(template, rows)
    field = decoded.fields["review_litigation.review.total"]
    assert (field.value, field.text, field.page, field.bbox) == (0, "0", 3, (40.0, 0, 48.0, 10))
    assert 0.0 < field.confidence <= 1.0
    # The printed total 0 ≠ 1 + 0 + 0 + 0: the document's own break, reported as printed.
    check = next(c for c in decoded.checks if c.identity == "review_litigation.total.review")
    assert (check.holds, check.source_breaks) == (False, True)


@pytest.mark.parametrize("template_id", ["2019", "2021"])
def test_decoder_does_not_import_torch(template_id):
    import subprocess
    import sys

    code = ("import sys; from extraction.decode.decoder import decode; from extraction.templates import load_templates; "
            f"decode(load_templates()['{template_id}'], []); assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_wide_printed_row_covers_its_groups(templates):
    # 行政复议 | 未经复议直接起诉 | 复议后起诉 side by side, blank cells lost in the flattening.
    template = templates["2021"]
    units = [Unit(t) for t in ["10", "1", "11", "2", "2", "3", "1", "4"]]
    row = RowEvidence("review_litigation", "review", units,
                      also=("litigation_direct", "litigation_after_review"))
    decoded = decode(template, [row])
    values = {k: f.value for k, f in decoded.fields.items() if k.startswith("review_litigation.")}
    assert all(c.holds for c in decoded.checks if c.identity.startswith("review_litigation."))
    assert values["review_litigation.review.total"] == 11
    assert values["review_litigation.litigation_direct.total"] == 2
    assert values["review_litigation.litigation_after_review.total"] == 4


def test_glued_count_and_money_split_and_unplaceable_values_are_reported(templates):
    template = templates["2019"]
    decoded = decode(template, [RowEvidence("proactive", "procurement", [Unit("00.5948")]),
                                RowEvidence("proactive", "fees", [Unit("第三"), Unit("项")])])
    assert decoded.fields["proactive.procurement.items"].value == 0
    assert decoded.fields["proactive.procurement.amount"].value == 0.5948
    assert decoded.fields["proactive.fees.prev_items"].value is None
    assert any("fits no cell" in w for w in decoded.warnings)


def test_letters_ocr_prints_for_digits_are_read_as_those_digits(templates):
    # A 9 pt scan: zeros read as `o`, `。` and (blurred) `e`, a 1 as `l`; the row's total decides where
    # the `l` goes.
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.85)
    rows = [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in
                                            enumerate(["l2", "o", "0", "。", "e", "0", "12"])])]
    decoded = decode(template, rows)
    assert [decoded.fields[f"requests.new.{c}"].value for c in
            ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")] == \
        [12, 0, 0, 0, 0, 0, 12]
    assert decoded.fields["requests.new.commercial"].repaired and decoded.fields["requests.new.commercial"].text == "o"
    assert not decoded.fields["requests.new.research"].repaired


def test_a_lone_dash_like_mark_is_a_one_or_a_none_mark_as_the_identities_say(templates):
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.98)  # read surely: no unit is dropped as a speck
    row = ["一", "0", "0", "0", "0", "0", "0"]  # the total says the first cell is none, not 1
    decoded = decode(template, [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in enumerate(row)])])
    assert decoded.fields["requests.new.natural_person"].value == 0
    row[-1] = "1"
    decoded = decode(template, [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in enumerate(row)])])
    assert decoded.fields["requests.new.natural_person"].value == 1


def test_a_speck_read_as_a_point_between_a_counts_digits_is_read_away(templates):
    # `47.4` in a count cell: no count has a decimal, so the row was left blank before.
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.973)
    row = ["466", "4", "0", "2", "2", "0", "47.4"]
    decoded = decode(template, [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in enumerate(row)])])
    assert [decoded.fields[f"requests.new.{c}"].value for c in
            ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")] == \
        [466, 4, 0, 2, 2, 0, 474]


def test_a_surely_read_print_that_is_no_count_is_still_read(templates):
    # `00`: a `0` read twice (a speck beside it) at a confidence that allows no other reading of a count.
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.99)
    row = ["3", "00", "n", "0", "0", "0", "3"]  # and a faded 0 that lost its foot, read `n`
    decoded = decode(template, [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in enumerate(row)])])
    assert [decoded.fields[f"requests.new.{c}"].value for c in
            ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")] == \
        [3, 0, 0, 0, 0, 0, 3]
    assert decoded.fields["requests.new.commercial"].repaired


def test_a_row_read_without_values_on_a_scan_is_not_sure_to_be_blank(templates):
    # The label was found on the page, but the detector read none of the row's values.
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.99)
    rows = [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in enumerate(["2", "0", "0", "0", "0", "0", "2"])]),
            RowEvidence("requests", "carried_over", [])]
    decoded = decode(template, rows)
    assert decoded.fields["requests.carried_over.total"].value is None
    assert decoded.fields["requests.carried_over.total"].confidence <= 0.8
    typed = decode(template, [RowEvidence("requests", "carried_over", [])])  # a text input: sure
    assert typed.fields["requests.carried_over.total"].confidence == 1.0


def test_a_sure_stray_beyond_the_rows_cells_is_dropped_though_one_value_is_unsure(templates):
    # Seven zeros (one read unsurely) and the next label's numbering `2` taken into the row, left
    # of the value columns: the sure `2` is the stray, not the unsure zero.
    template = templates["2021"]
    units = [Unit("0", confident=False, confidence=0.57 if n == 5 else 0.99, column_hint=n) for n in range(7)]
    units.append(Unit("2", confident=False, confidence=0.9997, column_hint=-1))
    decoded = decode(template, [RowEvidence("requests", "denied.state_secret", units)])
    assert [decoded.fields[f"requests.denied.state_secret.{c}"].value for c in
            ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")] == [0] * 7


def test_a_cell_rule_read_as_a_one_beside_a_digit_is_dropped_when_the_total_says_so(templates):
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.9)
    row = ["0", "0", "0", "0", "0", "10", "0"]  # `10`: the rule left of a faint 0 read as `1`
    decoded = decode(template, [RowEvidence("requests", "new", [Unit(t, column_hint=n, **ocr) for n, t in enumerate(row)])])
    assert decoded.fields["requests.new.other_org"].value == 0
    assert decoded.fields["requests.new.other_org"].repaired
    # Only a reading to fall back on: the print itself stays the likeliest.
    readings = ocr_readings(Unit("10", **ocr))
    assert readings[0].parts == ("10",) and ("0",) in [r.parts for r in readings]


def test_an_unread_cell_is_zero_unless_the_identities_need_another_count(templates):
    # The cell was read alone and still made out as no count, but it holds ink: some count is printed.
    template = templates["2021"]
    columns = ("upheld", "corrected", "other", "pending", "total")

    def decoded_row(row):
        units = [Unit(t, column_hint=n, confident=False, confidence=0.5 if t == UNREAD else 0.99)
                 for n, t in enumerate(row)]
        return decode(template, [RowEvidence("review_litigation", "review", units)])

    zero = decoded_row(["3", UNREAD, "0", "0", "3"])
    assert [zero.fields[f"review_litigation.review.{c}"].value for c in columns] == [3, 0, 0, 0, 3]
    assert zero.fields["review_litigation.review.corrected"].text == UNREAD
    assert zero.fields["review_litigation.review.corrected"].confidence < 0.5
    assert any("review_litigation.review.corrected: printed but unreadable" in w for w in zero.warnings)
    pinned = decoded_row(["3", UNREAD, "0", "0", "17"])  # the total says what it was
    assert pinned.fields["review_litigation.review.corrected"].value == 14
    assert all(c.holds for c in pinned.checks)


def test_two_strokes_read_as_letters_are_a_zero_without_its_arcs_or_an_eleven_as_the_total_says(templates):
    template = templates["2021"]
    ocr = dict(confident=False, confidence=0.9)

    def review_row(row):
        units = [Unit(t, column_hint=n, **ocr) for n, t in enumerate(row)]
        decoded = decode(template, [RowEvidence("review_litigation", "review", units)])
        return [decoded.fields[f"review_litigation.review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")]

    assert review_row(["2", "II", "①", "0", "2"]) == [2, 0, 0, 0, 2]  # `①`: a 0 with a streak inside
    assert review_row(["2", "1J", "0", "0", "2"]) == [2, 0, 0, 0, 2]
    assert review_row(["2", "II", "0", "0", "13"]) == [2, 11, 0, 0, 13]


def test_an_unsure_eleven_is_a_zero_without_its_arcs_where_the_total_needs_it(templates):
    template = templates["2021"]

    def review_row(confidence):
        units = [Unit(t, column_hint=n, confident=False, confidence=confidence if t == "11" else 0.99)
                 for n, t in enumerate(["2", "11", "0", "0", "2"])]
        decoded = decode(template, [RowEvidence("review_litigation", "review", units)])
        return decoded.fields["review_litigation.review.corrected"].value

    assert review_row(0.7) == 0
    assert review_row(0.99) == 11  # a sure print is never read otherwise: the break is the document's


def test_a_lone_plus_is_a_four_whose_loop_faded_but_a_signed_count_keeps_its_sign():
    four = ocr_readings(Unit("+", confident=False, confidence=0.9))
    assert ("4",) in [r.parts for r in four]
    signed = ocr_readings(Unit("+6", confident=False, confidence=0.9))
    assert ("46",) not in [r.parts for r in signed]


def test_a_look_alike_with_a_speck_after_it_is_read_as_its_digit():
    readings = {r.parts: r.cost for r in ocr_readings(Unit("σ.", confident=False, confidence=0.8))}
    assert ("0",) in readings and readings[("0",)] > 0  # a repair, not the print as read
    for specked in ("o :", ".o", "…o", "∴o", "o·"):  # a speck read as a colon, a point or a cluster of dots
        assert ("0",) in {r.parts for r in ocr_readings(Unit(specked, confident=False, confidence=0.8))}
    broken = {r.parts for r in ocr_readings(Unit("C", confident=False, confidence=0.8))}  # a 0 whose right side broke
    assert ("0",) in broken
    assert ("0",) not in {r.parts for r in ocr_readings(Unit("0.5", confident=False, confidence=0.8))}
