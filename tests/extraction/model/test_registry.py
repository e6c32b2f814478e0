import subprocess
import sys
from pathlib import Path

import pytest

from extraction.model.registry import MODELS_DIR, ModelNotFound, model_dir


def test_a_model_is_found_by_folder_or_by_name(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    assert model_dir(str(tmp_path)) == tmp_path
    with pytest.raises(ModelNotFound):
        model_dir("no-such-model")
    if (MODELS_DIR / "default" / "config.json").exists():
        assert model_dir("default") == MODELS_DIR / "default"


def test_the_shipped_model_loads_and_labels_words():
    pytest.importorskip("torch")
    if not (MODELS_DIR / "default" / "config.json").exists():
        pytest.skip("no shipped model under models/default")
    from extraction.model.registry import InferenceOptions, LocatorModel
    from extraction.model.words import words_of_text

    model = LocatorModel.load("default", InferenceOptions())
    words = words_of_text("一、总体情况\n本年新收政府信息公开申请数量 3 0 0 0 0 0 3")
    labels, confidences = model.predict(words, ["O"] * len(words))
    assert len(labels) == len(confidences) == len(words) and set(labels) <= set(model.labels)
    assert all(0 < c <= 1 for c in confidences)


def test_the_pipeline_and_decoder_import_without_the_model_stack():
    blocker = ("import sys\n"
               "class Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name.split('.')[0] in ('torch', 'transformers', 'jieba', 'datasets'):\n"
               "            raise ImportError(name + ' is blocked')\n"
               "sys.meta_path.insert(0, Block())\n"
               "import extraction.pipeline, extraction.decode.decoder, extraction.locate.model, eval.systems\n")
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", blocker], cwd=root, capture_output=True, text=True,
                            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
