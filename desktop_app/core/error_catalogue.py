"""Every error code of CAPILLARY_API.md, explained for a support agent.

`fields` names the form fields a code concerns, so the UI can highlight them:
"billId", "billNumber", "purpose", "redemptionKey", "entity", "credentials".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    code: int | None
    title: str
    explanation: str
    action: str
    fields: tuple[str, ...] = ()
    safe_to_retry: bool = False

    def as_text(self) -> str:
        return f"{self.explanation} {self.action}".strip()


_CATALOGUE: dict[int, Explanation] = {
    748: Explanation(
        748,
        "Nothing to update",
        "The request did not change any of bill ID, bill number or purpose.",
        "Change at least one of them, then send again.",
        ("billId", "billNumber", "purpose"),
    ),
    749: Explanation(
        749,
        "Which redemption?",
        "Capillary needs exactly one identifier for the redemption: "
        "the redemption ID or the external reference number, not both and not neither.",
        "Give either the redemption ID or the external reference number.",
        ("redemptionKey",),
    ),
    750: Explanation(
        750,
        "Update refused",
        "Capillary could not update this redemption; its reason is quoted with the code.",
        "If the reason is unclear, look the redemption up again and ask your team lead.",
    ),
    1219: Explanation(
        1219,
        "Customer details missing",
        "The customer details (entity) were missing or not valid.",
        "Check the customer's identifier type and value.",
        ("entity",),
    ),
    1212: Explanation(
        1212,
        "Wrong entity type",
        "The entity type is not one Capillary accepts for this update.",
        "Pick CUSTOMER, USERGROUP2 or FLEET.",
        ("entity",),
    ),
    8015: Explanation(
        8015,
        "Customer not found",
        "No customer matches the identifier given, or the identifier is not valid.",
        "Check the customer's identifier type and value (a mobile number needs its country code).",
        ("entity",),
    ),
    1012: Explanation(
        1012,
        "Customer not found",
        "No customer matches the identifier given.",
        "Check the customer's identifier type and value (a mobile number needs its country code).",
        ("entity",),
    ),
    4000: Explanation(
        4000,
        "Access denied",
        "This till is not allowed to update points redemptions: its store's access group "
        "does not grant it.",
        "Ask a Capillary administrator to grant the till's access group the Points (write) "
        "resource, or use a till that has it.",
        ("credentials",),
    ),
    4001: Explanation(
        4001,
        "Capillary's sign-in service is unavailable",
        "Capillary could not check the till's access just now. Nothing was changed.",
        "Try again in a few minutes.",
        (),
        safe_to_retry=True,
    ),
    521: Explanation(
        521,
        "Customer busy",
        "Another action is running for the same customer, so Capillary did not apply this one.",
        "Wait a few seconds and send again.",
        (),
        safe_to_retry=True,
    ),
    400: Explanation(
        400,
        "Invalid request",
        "Capillary refused the request as invalid input.",
        "Check the values against the server's message below.",
    ),
    401: Explanation(
        401,
        "Credentials rejected",
        "The till rejected the username or password.",
        "Enter the till's password again; ask the store for the current one if it changed.",
        ("credentials",),
    ),
    404: Explanation(
        404,
        "Not found",
        "The server did not find the address or the record.",
        "Check the cluster chosen in the connection profile.",
    ),
    405: Explanation(
        405,
        "Method not allowed",
        "The server refused the kind of request sent; the cluster may not be a Capillary API host.",
        "Check the cluster chosen in the connection profile.",
    ),
    415: Explanation(
        415,
        "Wrong content type",
        "The server refused the request's content type.",
        "Report this to the desk's maintainers: the desk always sends JSON.",
    ),
    429: Explanation(
        429,
        "Too many requests",
        "Capillary is limiting how many requests this key may send.",
        "Wait before sending again (the wait is shown when the server gives one).",
        safe_to_retry=True,
    ),
    500: Explanation(
        500,
        "Capillary server error",
        "Capillary failed while handling the request.",
        "Look the redemption up again to see whether the change was applied before retrying.",
    ),
}


# 750 is one code for several reasons: the server's detail after "Redemption update failed :"
# decides the advice, and whether the redemption field is to blame. (words in the detail, entry)
_750_REASONS: tuple[tuple[tuple[str, ...], Explanation], ...] = (
    (
        ("locked",),
        Explanation(
            750,
            "Points ledger busy",
            "Capillary was updating this customer's points at the same moment, so it changed "
            "nothing. This is temporary.",
            "Wait a minute, then send the same correction again.",
            safe_to_retry=True,
        ),
    ),
    (
        ("reversed",),
        Explanation(
            750,
            "Redemption reversed",
            "This redemption has been reversed (the points went back to the customer), so its "
            "bill details can no longer be corrected.",
            "Nothing to fix in the form: ask the store whether the points were redeemed again "
            "under another redemption, and correct that one.",
        ),
    ),
    (
        ("no redemption", "not found", "does not exist"),
        Explanation(
            750,
            "Redemption not found for this customer",
            "Capillary has no redemption with this identifier for this customer.",
            "Check the redemption identifier (IDs are case-sensitive) and the customer.",
            ("redemptionKey",),
        ),
    ),
    (
        ("custom field",),
        Explanation(
            750,
            "Custom fields missing",
            "Capillary refuses to update a redemption whose custom fields were not sent when the "
            "points were redeemed.",
            "This redemption cannot be corrected through the desk: ask your team lead.",
        ),
    ),
)


def explain(code: int | None, server_message: str = "") -> Explanation:
    """The catalogue entry for `code` (for 750, for its reason); an unknown code shows the
    server's words and its code."""
    if code == 750:
        detail = server_message.lower()
        for words, explanation in _750_REASONS:
            if any(word in detail for word in words):
                return explanation
    known = _CATALOGUE.get(code) if code is not None else None
    if known is not None:
        return known
    label = f"Error {code}" if code is not None else "Error"
    return Explanation(
        code,
        label,
        f"Capillary answered: {server_message or 'no message'} (code {code})."
        if code is not None
        else f"Capillary answered: {server_message or 'no message'}.",
        "This code is not in the desk's catalogue; quote it to your team lead.",
    )


def known_codes() -> tuple[int, ...]:
    return tuple(sorted(_CATALOGUE))
