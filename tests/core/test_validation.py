"""The validators decide what can never be sent; the form and the client share them."""

import pytest

from desktop_app.core import validation
from desktop_app.core.model import INT64_MAX


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("", "Enter the bill ID"),
        ("12.5", "decimal point"),
        ("1,5", "decimal point"),
        ("-3", "no sign"),
        ("+3", "no sign"),
        ("١٢٣", "another script"),
        ("0", "greater than 0"),
        ("000", "greater than 0"),
        ("0123", "leading zeros"),
        ("1" * 20, "20 digits"),
        (str(INT64_MAX + 1), "too large"),
        ("1e5", "exponent"),
        ("12a", "other than the digits"),
        (" 12", "space"),
        ("12 ", "space"),
        ("1 2", "space"),
    ],
)
def test_bill_id_refusals_name_the_problem(text, expected_words):
    problem = validation.bill_id_problem(text)
    assert problem is not None
    assert expected_words in problem


@pytest.mark.parametrize("text", ["1", "235", "26503632", str(INT64_MAX), "9" * 18])
def test_bill_id_accepts_positive_int64(text):
    assert validation.bill_id_problem(text) is None
    assert validation.parse_bill_id(text) == int(text)


def test_parse_bill_id_refuses_what_validation_refuses():
    with pytest.raises(ValueError, match="another script"):
        validation.parse_bill_id("١٢٣")


def test_purpose_limit_counts_code_points():
    assert validation.purpose_problem("x" * 255) is None
    problem = validation.purpose_problem("x" * 256)
    assert problem is not None and "256" in problem and "255" in problem
    assert validation.purpose_problem("é" * 255) is None  # one code point each, whatever the bytes


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("line one\nline two", "line break"),
        ("tab\there", "a tab"),
        ("abc\u200bdef", "U+200B"),
        ("\u200fabc", "U+200F"),
        ("abc\ufeff", "U+FEFF"),
        ("   ", "blank"),
        (" padded", "space"),
    ],
)
def test_purpose_refuses_hidden_characters_instead_of_stripping(text, expected_words):
    problem = validation.purpose_problem(text)
    assert problem is not None and expected_words in problem


def test_bill_number_rules():
    assert validation.bill_number_problem("bill-new-77") is None
    assert "blank" in validation.bill_number_problem("  ")
    assert "line break" in validation.bill_number_problem("a\nb")
    assert "control character" in validation.bill_number_problem("a\x07b")


def test_redemption_key_rules():
    assert validation.redemption_key_problem("NZVAt9") is None
    assert validation.redemption_key_problem("EXT-1001") is None
    assert "Enter" in validation.redemption_key_problem("")
    assert "space" in validation.redemption_key_problem("NZV At9")
    assert "U+200B" in validation.redemption_key_problem("NZVAt9\u200b")


@pytest.mark.parametrize(
    ("identifier_type", "value", "ok"),
    [
        ("mobile", "919800000001", True),
        ("mobile", "+919800000001", True),
        ("mobile", "98-00", False),
        ("email", "asha@example.com", True),
        ("email", "asha@", False),
        ("id", "1000001", True),
        ("id", "10a", False),
        ("externalId", "CUST-0001", True),
        ("cardnumber", "CARD-0001", True),
        ("externalId", "", False),
        ("nickname", "x", False),
    ],
)
def test_entity_value_shapes(identifier_type, value, ok):
    assert (validation.entity_value_problem(identifier_type, value) is None) is ok


def test_entity_type_must_come_from_the_contract():
    assert validation.entity_type_problem("CUSTOMER") is None
    assert validation.entity_type_problem("USER GROUP") is not None


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_unicode_line_and_paragraph_separators_are_refused_like_line_breaks(separator):
    # Issue 11 item 9: they passed although "\n" is refused, and break lines on receipts.
    text = f"bill{separator}77"
    for problem in (
        validation.bill_number_problem(text),
        validation.purpose_problem(text),
        validation.redemption_key_problem(text),
        validation.entity_value_problem("externalId", text),
    ):
        assert problem is not None and "separator at character 5" in problem


def test_a_paste_the_field_cut_is_refused_and_said_to_be_cut():
    # Issue 11 item 9: a 10 MB paste was cut to 32,767 characters and stayed sendable.
    cut = "7" * validation.FIELD_CAPACITY
    for problem in (
        validation.bill_number_problem(cut),
        validation.purpose_problem(cut),
        validation.redemption_key_problem(cut),
    ):
        assert problem is not None and "was cut at 32,767 characters" in problem
