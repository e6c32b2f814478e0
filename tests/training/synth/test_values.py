import random

from hypothesis import given, settings
from hypothesis import strategies as st

from training.synth.values import ValueOptions, sample_values


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**9), template_id=st.sampled_from(["2019", "2021"]), break_share=st.sampled_from([0.0, 0.5, 1.0]))
def test_identities_hold_except_declared_breaks(templates, seed, template_id, break_share):
    template = templates[template_id]
    sampled = sample_values(random.Random(seed), template, ValueOptions(source_break_share=break_share))
    broken = [i.name for i in template.identities if not i.holds(sampled.fields)]
    assert broken == sampled.source_breaks
    if break_share == 0.0:
        assert sampled.source_breaks == []
    expected_keys = template.field_keys(include_optional=sampled.collapsed_other)
    assert list(sampled.fields) == expected_keys


def test_breaks_are_produced_at_full_share(templates):
    rng = random.Random(4)
    broken = [sample_values(rng, templates["2021"], ValueOptions(source_break_share=1.0)).source_breaks for _ in range(20)]
    assert all(broken)


def test_collapsed_other_leaves_sub_rows_null(templates):
    rng = random.Random(2)
    sampled = sample_values(rng, templates["2021"], ValueOptions(collapsed_other_share=1.0))
    assert sampled.collapsed_other
    sub_rows = ("requests.other.no_correction.", "requests.other.no_fee.", "requests.other.other.")
    assert all(v is None for k, v in sampled.fields.items() if k.startswith(sub_rows))
    assert all(sampled.fields[f"requests.other.{c}"] is not None for c in ("natural_person", "total"))


def test_counts_are_non_negative_except_change(templates):
    rng = random.Random(9)
    for _ in range(30):
        fields = sample_values(rng, templates["2019"], ValueOptions(source_break_share=0)).fields
        assert all(v is None or v >= 0 for k, v in fields.items() if not k.endswith(".change"))


def test_a_mostly_blank_page_with_breaks_asked_for_still_samples(templates):
    options = ValueOptions(source_break_share=1.0, blank_share=1.0, all_zero_share=1.0)
    for seed in range(40):  # all-zero then blanked: few or no printed totals to mistype
        sampled = sample_values(random.Random(seed), templates["2019"], options)
        assert [i.name for i in templates["2019"].identities if not i.holds(sampled.fields)] == sampled.source_breaks
