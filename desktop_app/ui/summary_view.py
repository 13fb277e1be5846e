"""The redemption as the server holds it: after a lookup, or after a successful update."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop_app.core.model import Redemption
from desktop_app.ui import theme
from desktop_app.ui.startup_path import set_enum_property
from desktop_app.ui.widgets import Card, plain_label, role_label

NOT_SET = "not set"
UNKNOWN = "unknown"

# (object name suffix, label, column span)
_FACTS = (
    ("Customer", "Customer", 2),
    ("RedemptionId", "Redemption ID", 1),
    ("ExternalReference", "External reference", 1),
    ("Points", "Points", 1),
    ("Program", "Program", 1),
    ("Redeemed", "Redeemed", 1),
    ("StoreTill", "Store · till", 1),
    ("BillId", "Bill ID", 1),
    ("BillNumber", "Bill number", 1),
    ("Purpose", "Purpose", 2),
    ("Notes", "Notes", 2),
    ("CustomFields", "Custom fields", 2),
)


def format_points(points: float | None) -> str:
    if points is None:
        return ""
    return str(int(points)) if float(points).is_integer() else str(points)


def redemption_facts(redemption: Redemption) -> dict[str, str]:
    store_till = " · ".join(part for part in (redemption.store, redemption.till) if part)
    customer = redemption.customer
    return {
        "Customer": customer.describe() if customer is not None else "",
        "RedemptionId": redemption.redemption_id,
        "ExternalReference": redemption.external_reference,
        "Points": format_points(redemption.points),
        "Program": "" if redemption.program_id is None else str(redemption.program_id),
        "Redeemed": redemption.redeemed_time,
        "StoreTill": store_till,
        "BillId": NOT_SET if redemption.bill_id is None else str(redemption.bill_id),
        "BillNumber": redemption.bill_number,
        "Purpose": redemption.purpose,
        "Notes": redemption.notes,
        "CustomFields": "; ".join(f"{f.name} = {f.value}" for f in redemption.custom_fields),
    }


class RedemptionSummary(Card):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("Current values", "receipt", parent)
        self.source = role_label("", "muted")
        self.source.setWordWrap(False)
        self.source.setObjectName("summarySource")
        self.trailing.addWidget(self.source)
        self.message = role_label("", "muted")
        self.message.setObjectName("summaryMessage")
        self.busy = role_label("", "notice")
        self.busy.setObjectName("summaryBusy")
        self.busy.hide()
        self.body.addWidget(self.busy)
        self.body.addWidget(self.message)
        # The facts' 22 labels are made when first shown: none is on screen at start-up.
        self.grid_host: QWidget | None = None
        self.values: dict[str, QLabel] = {}
        self.show_empty()

    def _grid(self) -> QWidget:
        if self.grid_host is not None:
            return self.grid_host
        self.grid_host = QWidget()
        grid = QGridLayout(self.grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        row, column = 0, 0
        for suffix, label_text, span in _FACTS:
            if span == 2 and column:
                row, column = row + 1, 0
            label = QLabel(label_text)
            theme.set_role(label, "fieldLabel")
            value = plain_label()
            value.setObjectName(f"summary{suffix}")
            theme.set_role(value, "value")
            value.setWordWrap(True)
            set_enum_property(value, "textInteractionFlags", "TextSelectableByMouse")
            value.setAccessibleName(label_text)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(value, row, column * 2 + 1, 1, 1 if span == 1 else 3)
            self.values[suffix] = value
            column += span
            if column >= 2:
                row, column = row + 1, 0
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.body.addWidget(self.grid_host)
        return self.grid_host

    def _hide_grid(self) -> None:
        if self.grid_host is not None:
            self.grid_host.hide()

    def show_empty(self) -> None:
        self.source.setText("")
        self._message("Look a redemption up to see its current bill ID, bill number and purpose.")
        self._hide_grid()

    def show_unknown(self, reason: str) -> None:
        self.source.setText("no lookup")
        self._message(reason)
        self._grid().show()
        for suffix, value in self.values.items():
            self._set(suffix, UNKNOWN if suffix in ("BillId", "BillNumber", "Purpose") else "")
            value.setVisible(True)

    def show_redemption(self, redemption: Redemption, source: str) -> None:
        self.source.setText(source)
        self._message("")
        self._grid().show()
        for suffix, text in redemption_facts(redemption).items():
            self._set(suffix, text)

    def show_failure(self, message: str) -> None:
        self.source.setText("lookup failed")
        self._message(message, role="fieldError")
        self._hide_grid()

    def mark_stale(self, stale: bool) -> None:
        if stale:
            self._message(
                "The customer or identifier changed since these values were looked up: "
                "look the redemption up again.",
                role="fieldError",
            )
        elif self.message.property("stale"):
            self._message("")
        self.message.setProperty("stale", stale)

    def set_busy(self, text: str) -> None:
        """Says on the card itself what is being fetched ("" when nothing is), and greys the
        values it is about to replace, so a slow lookup is not mistaken for a finished one."""
        self.busy.setText(text)
        self.busy.setAccessibleName(text)
        self.busy.setVisible(bool(text))
        if self.grid_host is not None:
            self.grid_host.setEnabled(not text)

    def _message(self, text: str, role: str = "muted") -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        theme.set_state(self.message, "role", role)

    def _set(self, suffix: str, text: str) -> None:
        value = self.values[suffix]
        special = text in (NOT_SET, UNKNOWN)
        value.setText(text if text else "—")
        theme.set_state(value, "role", "unknown" if special or not text else "value")
