"""What the fault tests do with the window, in an agent's steps (no tests in this module)."""

from __future__ import annotations

from desktop_app.core.history import HistoryEntry, HistoryQuery
from desktop_app.desk.session import Connection
from desktop_app.sandbox import DEMO_USERNAME
from tests.ui.driver import PASSWORD

ASHA_MOBILE = "919800000001"


def look_up_and_edit(desk, key: str = "NZVAt9", bill_number: str = "bill-fault") -> None:
    """Looks Asha's redemption up (answering the password prompt) and edits its bill number."""
    desk.look_up(ASHA_MOBILE, key, password=PASSWORD)
    assert desk.label("summaryRedemptionId") == key
    desk.type("billNumberEdit", bill_number)


def send_without_lookup(desk, purpose: str = "card fix") -> None:
    """An update by card number (no lookup exists for it), confirmed; the window still holds
    the password typed for this till earlier."""
    desk.fill_lookup("CARD-0001", "NZVAt9", identifier_type="cardnumber")
    desk.type("purposeEdit", purpose)
    desk.send()


def newest_entry(desk) -> HistoryEntry:
    history = desk.window.services.history()
    entries = history.search(HistoryQuery(), limit=1)
    assert entries, "nothing was recorded"
    return entries[0]


def still_works(desk, *, password: str | None = None, bill_number: str = "bill-after") -> None:
    """The same window then looks up and updates successfully (faults off). Give `password`
    when the window has not yet used this till."""
    desk.sandbox.clear_faults()
    sent_before = desk.sandbox.update_count
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=password)
    assert desk.label("summaryRedemptionId") == "NZVAt9"
    desk.type("billNumberEdit", bill_number)
    desk.send()
    assert desk.banner == "Update applied", desk.banner
    assert desk.sandbox.update_count == sent_before + 1
    assert desk.sandbox.redemption("NZVAt9").bill_number == bill_number


def reconnect_to_sandbox(desk) -> None:
    """What picking a working profile does: the same window, now talking to the sandbox."""
    desk.window.set_connection(Connection("sandbox", desk.sandbox.base_url, DEMO_USERNAME))
