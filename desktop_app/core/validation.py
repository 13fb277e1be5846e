"""What the desk refuses to send, as plain functions: a message for the agent, or None when valid.

The same functions drive the form's inline messages and guard the client, so nothing invalid is
sent whatever the caller. They never raise and never change the text: what is wrong is said, and
the agent fixes it.

Decisions (see README, "Validation rules"):
- Lengths count Unicode code points (Python's ``len``), the way the API's limit is documented
  ("255 characters"); an emoji made of several code points counts as several.
- Text pasted with line breaks, tabs, other control characters or invisible formatting characters
  (right-to-left marks, zero-width spaces, byte-order marks) is refused with a message naming the
  character, never silently stripped: such characters end up on receipts and in audits.
- Leading or trailing spaces are refused rather than trimmed, for the same reason.
"""

from __future__ import annotations

import re
import unicodedata

from desktop_app.core.model import ENTITY_TYPES, IDENTIFIER_TYPES, INT64_MAX, PURPOSE_MAX_CHARS

ASCII_DIGITS = frozenset("0123456789")
BILL_ID_MAX_DIGITS = 19

# What a one-line text field holds (Qt's QLineEdit): a text this long was cut when pasted.
FIELD_CAPACITY = 32_767
_LINE_SEPARATORS = {"\u2028": "a line separator", "\u2029": "a paragraph separator"}

_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_MOBILE_SHAPE = re.compile(r"\+?[0-9]{6,15}")


def _cut_problem(text: str, what: str) -> str | None:
    """A text that fills the field was most likely a longer paste that the field cut."""
    if len(text) >= FIELD_CAPACITY:
        return (
            f"{what} was cut at {FIELD_CAPACITY:,} characters, the most a field holds: what "
            "was pasted is longer. Paste only the value you mean."
        )
    return None


def _hidden_character_problem(text: str, what: str) -> str | None:
    """Names a cut paste, or the first control or invisible formatting character, which would
    corrupt records."""
    cut = _cut_problem(text, what)
    if cut:
        return cut
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category in ("Zl", "Zp"):  # U+2028, U+2029: line breaks to every text renderer
            return f"{what} contains {_LINE_SEPARATORS[char]} at character {position}: remove it."
        if category == "Cc":
            name = {"\n": "a line break", "\r": "a line break", "\t": "a tab"}.get(
                char, f"a control character (U+{ord(char):04X})"
            )
            return f"{what} contains {name} at character {position}: remove it."
        if category == "Cf":
            name = unicodedata.name(char, "invisible formatting character").lower()
            return (
                f"{what} contains an invisible character at position {position} "
                f"(U+{ord(char):04X} {name}), probably pasted: remove it."
            )
    return None


def _edge_space_problem(text: str, what: str) -> str | None:
    if text != text.strip():
        return f"{what} starts or ends with a space: remove it (nothing is trimmed for you)."
    return None


def bill_id_problem(text: str) -> str | None:
    if text == "":
        return "Enter the bill ID: a whole number greater than 0."
    if any(char.isspace() for char in text):
        return "The bill ID contains a space: use the digits 0-9 only."
    if text[0] in "+-":
        return "The bill ID takes no sign: use the digits 0-9 only."
    if "." in text or "," in text:
        return "The bill ID is a whole number: no decimal point or separator."
    if any(char in "eE" for char in text) and all(c in ASCII_DIGITS or c in "eE+-" for c in text):
        return "The bill ID is written in plain digits, not as an exponent (like 1e5)."
    foreign_digits = [c for c in text if c.isdigit() and c not in ASCII_DIGITS]
    if foreign_digits:
        return (
            f"The bill ID contains digits from another script ({''.join(foreign_digits)}): "
            "use the digits 0-9 only."
        )
    if any(char not in ASCII_DIGITS for char in text):
        return "The bill ID contains characters other than the digits 0-9."
    if int(text) == 0:
        return "The bill ID must be greater than 0."
    if text[0] == "0":
        return "The bill ID starts with 0: remove the leading zeros."
    if len(text) > BILL_ID_MAX_DIGITS:
        return f"The bill ID has {len(text)} digits; the limit is {BILL_ID_MAX_DIGITS}."
    if int(text) > INT64_MAX:
        return f"The bill ID is too large: the largest allowed is {INT64_MAX}."
    return None


def parse_bill_id(text: str) -> int:
    """The bill ID as the integer to send. Only call after bill_id_problem(text) returned None."""
    problem = bill_id_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return int(text)


def bill_number_problem(text: str) -> str | None:
    if text.strip() == "":
        return "The bill number cannot be blank."
    return _hidden_character_problem(text, "The bill number") or _edge_space_problem(
        text, "The bill number"
    )


def purpose_problem(text: str) -> str | None:
    if text.strip() == "":
        return "The purpose cannot be blank: the API reads an empty purpose as no change."
    cut = _cut_problem(text, "The purpose")
    if cut:
        return cut
    if len(text) > PURPOSE_MAX_CHARS:
        return (
            f"The purpose is {len(text)} characters long; the limit is {PURPOSE_MAX_CHARS}. "
            f"Remove {len(text) - PURPOSE_MAX_CHARS}."
        )
    return _hidden_character_problem(text, "The purpose") or _edge_space_problem(
        text, "The purpose"
    )


def redemption_key_problem(text: str) -> str | None:
    """One identifier: a redemption ID or an external reference number."""
    if text.strip() == "":
        return "Enter the redemption ID or the external reference number."
    hidden = _hidden_character_problem(text, "The identifier")
    if hidden:
        return hidden
    if any(char.isspace() for char in text):
        return "The identifier contains a space: identifiers have none."
    return None


def entity_type_problem(entity_type: str) -> str | None:
    if entity_type not in ENTITY_TYPES:
        return f"The entity type must be one of {', '.join(ENTITY_TYPES)}."
    return None


def entity_value_problem(identifier_type: str, text: str) -> str | None:
    if identifier_type not in IDENTIFIER_TYPES:
        return f"The identifier type must be one of {', '.join(IDENTIFIER_TYPES)}."
    if text.strip() == "":
        return "Enter the customer's identifier."
    hidden = _hidden_character_problem(text, "The customer identifier")
    if hidden:
        return hidden
    edge = _edge_space_problem(text, "The customer identifier")
    if edge:
        return edge
    if identifier_type == "mobile" and not _MOBILE_SHAPE.fullmatch(text):
        return "A mobile number is 6 to 15 digits 0-9, with the country code, optionally after +."
    if identifier_type == "email" and not _EMAIL_SHAPE.fullmatch(text):
        return "That is not an email address (name@example.com)."
    if identifier_type == "id" and not all(char in ASCII_DIGITS for char in text):
        return "A customer ID is a number: digits 0-9 only."
    return None
