import pytest

from review.layout import table_layouts


def occupancy(rows) -> list[int]:
    """Columns each printed line covers, row spans from lines above included (as a browser lays it out)."""
    carried: dict[int, int] = {}  # line → columns taken by cells spanning down into it
    widths = []
    for n, row in enumerate(rows):
        width = carried.get(n, 0) + sum(cell.colspan for cell in row)
        for cell in row:
            for below in range(n + 1, n + cell.rowspan):
                carried[below] = carried.get(below, 0) + cell.colspan
        widths.append(width)
    return widths


@pytest.mark.parametrize("template_id", ["2019", "2021"])
def test_every_table_is_a_full_rectangle_holding_each_field_once(templates, template_id):
    template = templates[template_id]
    layouts = table_layouts(template, set(template.field_keys()))
    for layout in layouts:
        widths = occupancy(layout.rows)
        assert len(set(widths)) == 1, (layout.key, widths)
    keys = [k for layout in layouts for k in layout.keys]
    assert sorted(keys) == sorted(template.field_keys()) and len(keys) == len(set(keys))


def test_optional_row_only_where_the_document_has_it(templates):
    template = templates["2021"]
    plain = {layout.key: layout for layout in table_layouts(template, set(template.field_keys()))}
    collapsed = {layout.key: layout for layout in table_layouts(template, set(template.field_keys(include_optional=True)))}
    assert "requests.other.total" not in plain["requests"].keys
    assert "requests.other.total" in collapsed["requests"].keys
    assert occupancy(collapsed["requests"].rows)[-1] == occupancy(plain["requests"].rows)[-1]


def test_the_request_table_nests_groups_as_the_form_prints_them(templates):
    requests = {layout.key: layout for layout in table_layouts(templates["2021"], set())}["requests"]
    header = [[(c.kind, c.text, c.rowspan, c.colspan) for c in row] for row in requests.rows[:3]]
    assert header[0][1] == ("group", "申请人情况", 1, 7)
    assert ("group", "法人或其他组织", 1, 5) in header[1] and ("column", "自然人", 2, 1) in header[1]
    denied_row = next(row for row in requests.rows if any(c.key == "requests.denied.state_secret.total" for c in row))
    assert [(c.kind, c.text, c.rowspan) for c in denied_row[:2]] == [("group", "（三）不予公开", 8), ("label", "1.属于国家秘密", 1)]
    review = {layout.key: layout for layout in table_layouts(templates["2021"], set())}["review_litigation"]
    assert [c.text for c in review.rows[0]] == ["行政复议", "行政诉讼"] and len(review.rows[-1]) == 15
