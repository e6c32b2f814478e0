"""The locator network: LayoutLM for token classification with one input more than LayoutLM's —
each piece's label as the rule-based locator gives it (`rule_ids`, ids in the model's own label
list), embedded and added to the word embedding.

So the model reads the rules' findings with the text and layout around them: it learns where to
keep them and where to place what they missed (a row whose label OCR garbled, a value glued into
the next label). Training drops some rows' rule labels (`TrainingOptions.rule_dropout`) so that
the model learns to locate a row from its context alone.

This module imports torch: only code that runs a model imports it.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import LayoutLMForTokenClassification


class RuleInformedLayoutLM(LayoutLMForTokenClassification):
    def __init__(self, config):
        super().__init__(config)
        self.rule_embeddings = nn.Embedding(config.num_labels, config.hidden_size)
        nn.init.normal_(self.rule_embeddings.weight, std=config.initializer_range)

    def forward(self, input_ids: torch.Tensor, rule_ids: torch.Tensor, bbox: torch.Tensor | None = None,
                attention_mask: torch.Tensor | None = None, token_type_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None):
        embedded = self.layoutlm.embeddings.word_embeddings(input_ids) + self.rule_embeddings(rule_ids)
        return super().forward(inputs_embeds=embedded, bbox=bbox, attention_mask=attention_mask,
                               token_type_ids=token_type_ids, labels=labels)
