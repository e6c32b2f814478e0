from extraction.inputs import expand_inputs


def test_labels_beside_documents_are_not_inputs(tmp_path):
    for name in ("00000_scan.pdf", "00000_scan.json", "00000_scan.tokens.json", "lone.json", ".hidden.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand_inputs([tmp_path])] == ["00000_scan.pdf", "lone.json"]


def test_globs_expand_to_what_they_match_and_a_glob_matching_nothing_is_kept(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.pdf", "a/b/two.pdf", "a/b/two.json", "a/b/three.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = expand_inputs([tmp_path / "a" / "**" / "*.pdf", tmp_path / "none-*.pdf"])
    assert found == [tmp_path / "a" / "b" / "two.pdf", tmp_path / "a" / "one.pdf", tmp_path / "none-*.pdf"]
