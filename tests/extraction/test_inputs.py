from extraction.inputs import expand_inputs


def test_labels_beside_documents_are_not_inputs(tmp_path):
    for name in ("00000_scan.pdf", "00000_scan.json", "00000_scan.tokens.json", "lone.json", ".hidden.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand_inputs([tmp_path])] == ["00000_scan.pdf", "lone.json"]
