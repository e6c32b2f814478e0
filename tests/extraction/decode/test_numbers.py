import pytest

from extraction.decode.numbers import parse_cell
from extraction.templates import CellKind


@pytest.mark.parametrize("text, kind, value", [
    ("24", CellKind.COUNT, 24), ("1,234", CellKind.COUNT, 1234), ("0", CellKind.COUNT, 0), ("", CellKind.COUNT, None),
    ("减4", CellKind.SIGNED_COUNT, -4), ("-4", CellKind.SIGNED_COUNT, -4), ("－4", CellKind.SIGNED_COUNT, -4),
    ("增4", CellKind.SIGNED_COUNT, 4), ("+4", CellKind.SIGNED_COUNT, 4),
    ("无", CellKind.COUNT, 0), ("—", CellKind.COUNT, 0), ("/", CellKind.COUNT, 0),
    ("697.449万元", CellKind.MONEY, 697.449), ("435.532", CellKind.MONEY, 435.532),
    ("75394432.52元", CellKind.MONEY, 7539.443252), ("0", CellKind.MONEY, 0.0),
])
def test_printed_cells_read_as_the_spec_says(text, kind, value):
    assert parse_cell(text, kind) == value


@pytest.mark.parametrize("text, kind", [("12.5", CellKind.COUNT), ("abc", CellKind.COUNT), ("3件", CellKind.COUNT),
                                        ("12万元", CellKind.COUNT), ("007", CellKind.COUNT), ("0000000", CellKind.COUNT),
                                        ("00.5", CellKind.MONEY)])
def test_non_numbers_are_refused(text, kind):
    with pytest.raises(ValueError):
        parse_cell(text, kind)
