"""A one-click way out for a refused value: the spelling it most likely meant, shown to the agent
as "Use …" and put in the field only when they click it (nothing is ever changed silently).

A suggestion is offered only when the cleaned text passes the same validation; otherwise None.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from desktop_app.core import validation

MOBILE_SEPARATORS = " \t-().\u00a0"
NATIONAL_MOBILE_DIGITS = 10


def _without_invisible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _one_line(text: str) -> str:
    """Line breaks, tabs and runs of spaces become one space; the ends are trimmed."""
    spaced = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(spaced.split())


def _mobile(text: str) -> str:
    digits = "".join(c for c in text if c not in MOBILE_SEPARATORS)
    return digits.removeprefix("+")


def _no_spaces(text: str) -> str:
    return "".join(text.split())


_CLEANERS: dict[str, tuple[Callable[[str], str], Callable[[str], str | None]]] = {
    "billId": (_no_spaces, validation.bill_id_problem),
    "billNumber": (_one_line, validation.bill_number_problem),
    "purpose": (_one_line, validation.purpose_problem),
    "redemptionKey": (_no_spaces, validation.redemption_key_problem),
}


def suggested_text(kind: str, text: str) -> str | None:
    """The valid spelling of `text` for `kind` ("billId", "billNumber", "purpose",
    "redemptionKey", or a customer identifier type such as "mobile"), or None when `text` is
    already valid or no certain correction exists."""
    cleaner, problem_of = _CLEANERS.get(kind, (None, None))
    if cleaner is None or problem_of is None:
        cleaner = _mobile if kind == "mobile" else str.strip

        def problem_of(value: str) -> str | None:
            return validation.entity_value_problem(kind, value)

    if problem_of(text) is None:
        return None
    cleaned = cleaner(_without_invisible(text))
    if cleaned == text or cleaned == "" or problem_of(cleaned) is not None:
        return None
    return cleaned


def mobile_hint(text: str) -> str | None:
    """A word for a valid mobile number that looks national (10 digits, no country code)."""
    if validation.entity_value_problem("mobile", text) is None:
        digits = text.removeprefix("+")
        if len(digits) == NATIONAL_MOBILE_DIGITS:
            return (
                "10 digits: Capillary keeps mobile numbers with the country code "
                f"(in India 91{digits}). Without it the customer is usually not found."
            )
    return None
