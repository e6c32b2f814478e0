"""The templates must describe exactly the spec's fields and identities (../shared/spec/report-schema.md)."""

import json

import pytest

from extraction.templates import TemplateError, load_template, load_templates, template_for_year

# The spec's tables, written out here independently of the YAML files.
APPLICANT_COLUMNS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"]
REQUEST_ROWS_COMMON = [
    "new", "carried_over", "granted", "partial",
    "denied.state_secret", "denied.law_prohibited", "denied.three_safety", "denied.third_party",
    "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.query_item",
    "unable.not_held", "unable.needs_creation", "unable.unclear",
    "not_handled.petition", "not_handled.duplicate", "not_handled.publication", "not_handled.excessive",
    "not_handled.confirm",
]
REQUEST_ROWS = {
    "2021": REQUEST_ROWS_COMMON + ["other.no_correction", "other.no_fee", "other.other", "total", "carried_forward"],
    "2019": REQUEST_ROWS_COMMON + ["other", "total", "carried_forward"],
}
REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
PROACTIVE = {
    "2021": ["rules.issued", "rules.repealed", "rules.in_force", "normative_docs.issued", "normative_docs.repealed",
             "normative_docs.in_force", "licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.amount"],
    "2019": [f"{row}.{col}" for row in ("rules", "normative_docs") for col in ("new_made", "new_published", "total_published")]
    + [f"{row}.{col}" for row in ("licensing", "other_services", "penalty", "coercion")
       for col in ("prev_items", "change", "decisions")]
    + ["fees.prev_items", "fees.change", "procurement.items", "procurement.amount"],
}


def spec_keys(template_id: str) -> list[str]:
    return ([f"proactive.{k}" for k in PROACTIVE[template_id]]
            + [f"requests.{r}.{c}" for r in REQUEST_ROWS[template_id] for c in APPLICANT_COLUMNS]
            + [f"review_litigation.{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS])


def spec_identity_names(template_id: str) -> set[str]:
    return ({f"requests.row_total.{r}" for r in REQUEST_ROWS[template_id]}
            | {f"requests.outcomes.{c}" for c in APPLICANT_COLUMNS}
            | {f"requests.balance.{c}" for c in APPLICANT_COLUMNS}
            | {f"review_litigation.total.{g}" for g in REVIEW_GROUPS})


@pytest.mark.parametrize("template_id, count", [("2021", 200), ("2019", 198)])
def test_field_keys_are_the_specs_in_printed_order(templates, template_id, count):
    keys = templates[template_id].field_keys()
    assert keys == spec_keys(template_id)
    assert len(keys) == count


def test_2021_collapsed_other_row_is_optional(templates):
    t = templates["2021"]
    optional = [k for k in t.field_keys(include_optional=True) if k not in t.field_keys()]
    assert optional == [f"requests.other.{c}" for c in APPLICANT_COLUMNS]


@pytest.mark.parametrize("template_id", ["2021", "2019"])
def test_identity_names_are_the_specs(templates, template_id):
    names = {i.name for i in templates[template_id].identities}
    expected = spec_identity_names(template_id)
    if template_id == "2021":
        expected.add("requests.row_total.other")  # the optional collapsed （六） row has its row total too
    assert names == expected


def test_identity_terms(templates):
    by_name = {i.name: i for i in templates["2021"].identities}
    balance = by_name["requests.balance.total"]
    assert balance.left == ("requests.new.total", "requests.carried_over.total")
    assert balance.right == ("requests.total.total", "requests.carried_forward.total")
    outcomes = by_name["requests.outcomes.research"]
    assert outcomes.left == ("requests.total.research",)
    assert len(outcomes.right) == 22 and "requests.other.research" in outcomes.right
    assert by_name["review_litigation.total.review"].right == tuple(
        f"review_litigation.review.{c}" for c in ("upheld", "corrected", "other", "pending"))


def test_identity_blank_counts_as_zero(templates):
    identity = next(i for i in templates["2021"].identities if i.name == "review_litigation.total.review")
    values = {"review_litigation.review.total": 3, "review_litigation.review.upheld": 3}
    assert identity.holds(values)
    assert not identity.holds({**values, "review_litigation.review.pending": 1})


def test_real_gold_labels_match_templates_and_breaks(templates, real_reports_dir):
    golds = sorted(real_reports_dir.glob("*.json"))
    assert len(golds) == 8
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        template = templates[gold["template"]]
        keys = set(gold["fields"])
        assert keys in (set(template.field_keys()), set(template.field_keys(include_optional=True))), path.name
        broken = [i.name for i in template.identities if not i.holds(gold["fields"])]
        assert broken == gold["source_breaks"], path.name


def test_template_for_year(templates):
    assert template_for_year(templates, 2019).id == "2019"
    assert template_for_year(templates, 2020).id == "2019"
    assert template_for_year(templates, 2024).id == "2021"


def _write_variant(tmp_path, original, old, new):
    text = original.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture()
def template_2021_path(templates):
    from pathlib import Path

    return Path(templates["2021"].source)


def test_unknown_key_is_named(tmp_path, template_2021_path):
    path = _write_variant(tmp_path, template_2021_path, "first_year: 2021", "first_year: 2021\nfirst_yaer: 2021")
    with pytest.raises(TemplateError, match=r"bad\.yaml.*first_yaer.*Extra inputs are not permitted"):
        load_template(path)


def test_identity_over_missing_field_is_named(tmp_path, template_2021_path):
    path = _write_variant(tmp_path, template_2021_path, '"requests.carried_forward.{col}"]', '"requests.carried_fwd.{col}"]')
    with pytest.raises(TemplateError, match=r"identity 'requests.balance.\{col\}' names missing field 'requests.carried_fwd.natural_person'"):
        load_template(path)


def test_identity_over_unknown_set_is_named(tmp_path, template_2021_path):
    path = _write_variant(tmp_path, template_2021_path, '"requests.{row}.{applicants}"', '"requests.{row}.{applicant}"')
    with pytest.raises(TemplateError, match=r"names unknown set 'applicant'"):
        load_template(path)


def test_row_naming_unknown_column_is_named(tmp_path, template_2021_path):
    path = _write_variant(tmp_path, template_2021_path, "columns: [issued, repealed, in_force]}",
                          "columns: [issued, repeald, in_force]}")
    with pytest.raises(TemplateError, match=r"row rules names unknown column 'repeald'"):
        load_template(path)


def test_invalid_yaml_and_empty_dir(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(TemplateError, match="broken.yaml: not valid YAML"):
        load_template(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(TemplateError, match="no template files"):
        load_templates(empty)
