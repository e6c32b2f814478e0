"""The learned value model: magnitude and relation classes, the log-linear arithmetic, and the shipped
fit's verdict on glued splits that no identity decides."""

import math

import pytest

from extraction.decode.priors import RowPrior
from extraction.decode.value_model import LogLinear, cell_class, load_value_model, relation_class, row_pairs

NORMATIVE_2021 = ["proactive.normative_docs.issued", "proactive.normative_docs.repealed", "proactive.normative_docs.in_force"]


def test_classes():
    assert [cell_class(v) for v in (0, 7, 21, 165, 2159165, 0.5, -4, -130)] == ["zero", "e0", "e1", "e2", "e6", "e-1", "n0", "n2"]
    assert relation_class(0, 0) == "both_zero" and relation_class(3, 0) == "second_zero"
    assert relation_class(21, 165) == "r0" and relation_class(165, 21) == "r-1" and relation_class(5, 5) == "equal"


def test_row_pairs_compare_cells_with_their_total_else_every_pair():
    keys = [f"requests.new.{c}" for c in ("natural_person", "commercial", "total")]
    assert row_pairs(keys) == [(0, 2), (1, 2)]
    assert row_pairs(NORMATIVE_2021) == [(0, 1), (0, 2), (1, 2)]


def test_log_linear_is_a_softmax_over_summed_weights():
    model = LogLinear(("a", "b"), (0.0, 0.0), {"f": (1.0, -1.0)})
    probabilities = {k: math.exp(v) for k, v in model.log_probabilities(("f",)).items()}
    assert probabilities["a"] == pytest.approx(math.exp(1) / (math.exp(1) + math.exp(-1)))
    assert sum(probabilities.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("right, wrong", [
    ((21, 59, 165), (2, 15, 9165)),  # 行政规范性文件2159165
    ((21, 59, 165), (215, 9, 165)),
    ((5, 6, 15), (5, 61, 5)),  # 5615
    ((5, 6, 15), (56, 1, 5)),
])
def test_shipped_model_prefers_the_printed_split(right, wrong):
    prior = RowPrior("2021", NORMATIVE_2021, load_value_model())

    def cost(values):
        return sum(prior.cell_cost(n, v) for n, v in enumerate(values)) + prior.row_cost(list(values))

    assert cost(right) < cost(wrong)


def test_the_model_knows_what_it_was_fitted_on():
    assert "factory values" in load_value_model().trained_on
