"""The locator network — a small LayoutLM token classifier built from a `transformers` config and
trained from scratch here, reading the rule-based locator's labels as a second input
(`layoutlm.RuleInformedLayoutLM`) — its tokenizer, and the sliding windows both training and
inference read.

A word's vocabulary form (`words.vocabulary_form`) goes through a BERT WordPiece tokenizer whose
vocabulary was built from our own text; a word the vocabulary lacks falls into its characters
(`##x` pieces). Only a word's first piece carries its label; the rest are ignored (-100), as in
transformers' run_ner. Each piece gets its word's box (0–1000), page (as token type id) and rule
label.

torch and transformers are imported inside functions: importing this module needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extraction.model.words import MAX_PAGE_TYPE, NUMBER_FORMS, Word, vocabulary_form

IGNORED = -100  # the label of pieces that are not a word's first (the loss skips them)
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


@dataclass(frozen=True)
class ArchitectureOptions:
    hidden_size: int = 256
    layers: int = 4
    heads: int = 4
    intermediate_size: int = 1024
    window: int = 512  # pieces per window, [CLS] and [SEP] included (also the position table's size)


@dataclass
class Window:
    input_ids: list[int]
    bbox: list[list[int]]
    token_type_ids: list[int]
    words: list[int]  # per piece: the word index where it is the word's first piece, else -1
    labels: list[int]  # per piece: the word's label id on its first piece, else IGNORED
    rule_ids: list[int]  # per piece: the label id the rule-based locator gives its word (0, `O`, if none)


def write_vocabulary(forms: list[str], path: Path) -> None:
    """vocab.txt: special tokens, number shapes, the given word forms, and every character alone
    and as a continuation piece (`##x`), so an unknown word still reads as its characters."""
    characters = sorted({ch for form in forms for ch in form})
    entries = [*SPECIAL_TOKENS, *NUMBER_FORMS, *forms, *characters, *(f"##{ch}" for ch in characters)]
    path.write_text("\n".join(dict.fromkeys(entries)) + "\n", encoding="utf-8")


def make_tokenizer(vocabulary: Path):
    from transformers import BertTokenizerFast

    # `vocab=` (not `vocab_file=`, which transformers 5 ignores); Chinese words arrive pre-cut.
    tokenizer = BertTokenizerFast(vocab=str(vocabulary), do_lower_case=False, tokenize_chinese_chars=False,
                                  strip_accents=False)
    tokenizer.add_special_tokens({"additional_special_tokens": list(NUMBER_FORMS)})
    return tokenizer


def build_network(vocabulary_size: int, labels: list[str], options: ArchitectureOptions, pad_token_id: int):
    from transformers import LayoutLMConfig

    from extraction.model.layoutlm import RuleInformedLayoutLM

    config = LayoutLMConfig(
        vocab_size=vocabulary_size, hidden_size=options.hidden_size, num_hidden_layers=options.layers,
        num_attention_heads=options.heads, intermediate_size=options.intermediate_size,
        max_position_embeddings=options.window, max_2d_position_embeddings=1024,
        type_vocab_size=MAX_PAGE_TYPE + 1, pad_token_id=pad_token_id,
        id2label=dict(enumerate(labels)), label2id={label: n for n, label in enumerate(labels)},
    )
    return RuleInformedLayoutLM(config)


def windows(tokenizer, words: list[Word], label_ids: list[int] | None, rule_ids: list[int], length: int) -> list[Window]:
    """The document's pieces in windows of `length` (with [CLS] and [SEP]) overlapping by a
    quarter, so a word near one window's edge is seen with more context in the next (a half would
    see every word twice: the network's time is most of the locator's). `rule_ids`: per word."""
    if not words:
        return []
    encoding = tokenizer([vocabulary_form(w) for w in words], is_split_into_words=True, add_special_tokens=False)
    piece_ids = encoding["input_ids"]
    piece_words = encoding.word_ids()
    inner = length - 2
    stride = max(1, inner * 3 // 4)
    result: list[Window] = []
    start = 0
    while True:
        end = min(start + inner, len(piece_ids))
        ids, boxes, types, owners, labels, rules = [tokenizer.cls_token_id], [[0, 0, 0, 0]], [0], [-1], [IGNORED], [0]
        for position in range(start, end):
            word = piece_words[position]
            first = position == 0 or piece_words[position - 1] != word
            ids.append(piece_ids[position])
            boxes.append(list(words[word].box))
            types.append(words[word].page_type)
            owners.append(word if first else -1)
            labels.append(label_ids[word] if first and label_ids is not None else IGNORED)
            rules.append(rule_ids[word])
        ids.append(tokenizer.sep_token_id)
        boxes.append([0, 0, 0, 0])
        types.append(0)
        owners.append(-1)
        labels.append(IGNORED)
        rules.append(0)
        result.append(Window(ids, boxes, types, owners, labels, rules))
        if end >= len(piece_ids):
            return result
        start += stride
