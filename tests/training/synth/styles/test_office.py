"""The office layout: narrow value columns that never wrap a number, a vertical block label, repeated headers."""

import random

from training.synth.report import compose_report
from training.synth.styles.office import layout_office, random_office_layout
from training.synth.values import ValueOptions


def _layouts(templates, n: int):
    for seed in range(n):
        rng = random.Random(seed)
        report = compose_report(rng, templates, ValueOptions())
        office = random_office_layout(rng)
        yield report, office, *layout_office(report, office, rng)


def test_values_stay_on_one_line_and_labels_wrap(templates):
    seen_vertical = seen_wrapped_label = False
    for report, office, pages, annotations in _layouts(templates, 12):
        for a in annotations:
            if a.kind == "value":
                assert a.bbox[3] - a.bbox[1] <= office.table_size * 1.01, "a number wrapped over two lines"
            if a.kind == "row_label" and a.key == "results" and office.vertical_block_labels:
                seen_vertical = seen_vertical or (a.bbox[2] - a.bbox[0]) < 2.5 * office.table_size
            if a.kind == "row_label" and (a.bbox[3] - a.bbox[1]) > 2 * office.table_size:
                seen_wrapped_label = True
        assert 7 <= office.table_size <= 10.5
    assert seen_vertical and seen_wrapped_label


def test_variants_landscape_appended_and_repeated_header(templates):
    seen = set()
    for report, office, pages, annotations in _layouts(templates, 40):
        if office.landscape_tables:
            assert any(p.width > p.height for p in pages)
            seen.add("landscape")
        if office.repeat_header_rows:
            headers = [a for a in annotations if a.kind == "column_header" and a.text.startswith("申请人情况")]
            if len({a.page for a in headers}) > 1:
                seen.add("repeat_header")
        if office.tables_appended:
            captions_after = [a for a in annotations if a.kind == "section_heading"]
            first_value_page = min(a.page for a in annotations if a.kind == "value")
            assert all(h.page <= first_value_page for h in captions_after)
            seen.add("appended")
    assert seen == {"landscape", "repeat_header", "appended"}
