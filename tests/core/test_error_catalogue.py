import re
from pathlib import Path

from desktop_app.core.error_catalogue import explain, known_codes

CONTRACT_TABLE = Path(__file__).parent / "fixtures" / "update_error_codes.md"
CONTRACT_CODES = {748, 749, 750, 1219, 1212, 8015, 4000, 4001, 521, 400, 404, 405, 415, 500, 429}


def test_every_contract_code_is_explained():
    for code in CONTRACT_CODES:
        entry = explain(code, "server words")
        assert entry.code == code
        assert entry.explanation and entry.action
        assert f"code {code}" not in entry.explanation  # a real explanation, not the fallback


def test_the_contract_table_lists_no_code_the_catalogue_misses():
    text = CONTRACT_TABLE.read_text(encoding="utf-8")
    table_codes = {int(c) for c in re.findall(r"^\| (\d{3,4})\b", text, re.M)}
    assert len(table_codes) == 9
    assert table_codes <= set(known_codes())


def test_unknown_code_shows_the_server_message_and_its_code():
    entry = explain(9999, "Frobnication limit reached")
    assert "Frobnication limit reached" in entry.explanation
    assert "9999" in entry.explanation


def test_fields_point_at_the_form():
    assert explain(749).fields == ("redemptionKey",)
    assert "entity" in explain(8015).fields
    assert "credentials" in explain(4000).fields
    assert explain(4001).safe_to_retry and explain(521).safe_to_retry
