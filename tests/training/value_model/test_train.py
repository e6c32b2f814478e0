"""The value model's training script fits what extraction loads."""

import pytest

from extraction.decode.value_model import ValueModel
from training.value_model.train import FitOptions, LabelledValues, fit


@pytest.mark.heavy  # scikit-learn fits two models: about a minute on two shared cores
def test_a_small_fit_loads_and_scores(templates):
    real = [LabelledValues("one", "2021", {"proactive.normative_docs.issued": 21, "proactive.normative_docs.repealed": 59,
                                           "proactive.normative_docs.in_force": 165})]
    model = ValueModel.from_json(fit(templates, real, FitOptions(factory_docs=30)))
    assert "one" in model.trained_on
    cost = model.cell_cost("2021", "proactive.normative_docs.in_force", 165)
    assert 0 < cost < model.cell_cost("2021", "proactive.normative_docs.in_force", 9165)
