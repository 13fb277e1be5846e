"""Which redemption: the customer (entity) and one redemption identifier, and the Look up button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop_app.core import suggestions, validation
from desktop_app.core.model import Entity, KeyKind, RedemptionKey
from desktop_app.desk.outcomes import no_lookup_reason
from desktop_app.ui import icons, theme
from desktop_app.ui.startup_path import TOOLTIP_ROLE
from desktop_app.ui.widgets import Card, FixButton, role_label

ENTITY_CHOICES = (
    ("CUSTOMER", "Customer", "A loyalty customer (the usual case)."),
    ("USERGROUP2", "User group", "A user group (USERGROUP2): no lookup, the update only."),
    ("FLEET", "Fleet", "A fleet: no lookup, the update only."),
)
IDENTIFIER_CHOICES = (
    ("mobile", "Mobile", "919800000001"),
    ("email", "Email", "name@example.com"),
    ("externalId", "External ID", "CUST-0001"),
    ("id", "Customer ID", "1000001"),
    ("cardnumber", "Card number", "CARD-0001"),
    ("cardExternalId", "Card external ID", "CEXT-0001"),
)
KEY_CHOICES = (
    (KeyKind.REDEMPTION_ID, "Redemption ID", "NZVAt9"),
    (KeyKind.EXTERNAL_REFERENCE, "External reference", "EXT-1001"),
)


def _combo(name: str, accessible: str, choices) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setMinimumHeight(theme.FIELD_HEIGHT)
    for data, label, *_ in choices:
        combo.addItem(label, str(data))
    return combo


class LookupForm(Card):
    lookupRequested = Signal()
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Find the redemption", "search", parent)
        self.entity_type = _combo("entityTypeCombo", "Entity type", ENTITY_CHOICES)
        for index, (_, _, tip) in enumerate(ENTITY_CHOICES):
            self.entity_type.setItemData(index, tip, TOOLTIP_ROLE)
        self.identifier_type = _combo("identifierTypeCombo", "Identifier type", IDENTIFIER_CHOICES)
        self.identifier_value = QLineEdit()
        self.identifier_value.setObjectName("identifierValueEdit")
        self.identifier_value.setAccessibleName("Customer identifier")
        self.identifier_value.setClearButtonEnabled(True)
        self.key_kind = _combo("redemptionKeyCombo", "Redemption identifier kind", KEY_CHOICES)
        self.key_value = QLineEdit()
        self.key_value.setObjectName("redemptionKeyEdit")
        self.key_value.setAccessibleName("Redemption identifier")
        self.key_value.setToolTip("Redemption IDs are case-sensitive: NZVAt9 is not nzvat9.")
        self.key_value.setClearButtonEnabled(True)
        self.lookup_button = QPushButton(icons.icon("search"), "Look up")
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.setAccessibleName("Look up the redemption")
        self.lookup_button.setToolTip("Look the redemption up (Enter)")
        self.lookup_button.setMinimumHeight(theme.FIELD_HEIGHT)
        for edit in (self.identifier_value, self.key_value):
            theme.restyle(edit)

        self.identifier_error = role_label("", "fieldError")
        self.identifier_error.setObjectName("identifierValueError")
        self.key_error = role_label("", "fieldError")
        self.key_error.setObjectName("redemptionKeyError")
        self.identifier_hint = role_label("", "muted")
        self.identifier_hint.setObjectName("identifierValueHint")
        self.notice = role_label("", "notice")
        self.notice.setObjectName("noLookupNotice")
        for label in (self.identifier_error, self.identifier_hint, self.key_error, self.notice):
            label.hide()
        self.identifier_fix = FixButton(
            self.identifier_value, "customer identifier", "identifierValueFix"
        )
        self.key_fix = FixButton(self.key_value, "redemption identifier", "redemptionKeyFix")

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        customer_label = QLabel("Customer")
        theme.set_role(customer_label, "fieldLabel")
        customer_label.setBuddy(self.identifier_value)
        key_label = QLabel("Redemption")
        theme.set_role(key_label, "fieldLabel")
        key_label.setBuddy(self.key_value)
        grid.addWidget(customer_label, 0, 0)
        grid.addWidget(self.entity_type, 0, 1)
        grid.addWidget(self.identifier_type, 0, 2)
        grid.addWidget(self.identifier_value, 0, 3, 1, 2)
        grid.addLayout(
            _under(self.identifier_error, self.identifier_hint, self.identifier_fix), 1, 3, 1, 2
        )
        grid.addWidget(key_label, 2, 0)
        grid.addWidget(self.key_kind, 2, 1, 1, 2)
        grid.addWidget(self.key_value, 2, 3)
        grid.addWidget(self.lookup_button, 2, 4)
        grid.addLayout(_under(self.key_error, self.key_fix), 3, 3, 1, 2)
        grid.setColumnStretch(3, 1)
        self.body.addLayout(grid)
        self.body.addWidget(self.notice)

        self._attempted = False
        # What was typed for each kind of identifier: switching kinds shows that kind's own text
        # (empty at first), never a mobile number as an email or a redemption ID as a reference.
        self._typed: dict[tuple[str, str], str] = {}
        self._shown_kinds = (self.identifier_type.currentData(), self.key_kind.currentData())
        self._fit_to_placeholders()
        self.identifier_value.returnPressed.connect(self.lookupRequested)
        self.key_value.returnPressed.connect(self.lookupRequested)
        self.lookup_button.clicked.connect(self.lookupRequested)
        for combo in (self.entity_type, self.identifier_type, self.key_kind):
            combo.currentIndexChanged.connect(self._on_change)
        for edit in (self.identifier_value, self.key_value):
            edit.textChanged.connect(self._on_change)
        self._refresh()

    # -- reading ----------------------------------------------------------------------------
    def entity(self) -> Entity:
        return Entity(
            self.entity_type.currentData(),
            self.identifier_type.currentData(),
            self.identifier_value.text(),
        )

    def key(self) -> RedemptionKey:
        return RedemptionKey(KeyKind(self.key_kind.currentData()), self.key_value.text())

    def identifier_problem(self) -> str | None:
        return validation.entity_value_problem(
            self.identifier_type.currentData(), self.identifier_value.text()
        )

    def key_problem(self) -> str | None:
        return validation.redemption_key_problem(self.key_value.text())

    def can_look_up(self) -> bool:
        return self.entity().can_be_looked_up

    # -- writing ----------------------------------------------------------------------------
    def show_problems(self) -> None:
        """After an attempt, show every problem, including those of untouched fields."""
        self._attempted = True
        self._refresh()

    def select(self, entity_type: str, identifier_type: str, key_kind: str) -> None:
        for combo, data in (
            (self.entity_type, entity_type),
            (self.identifier_type, identifier_type),
            (self.key_kind, key_kind),
        ):
            index = combo.findData(data)
            if index >= 0:
                combo.setCurrentIndex(index)

    def fill(self, entity: Entity, key: RedemptionKey) -> None:
        """Puts a customer and redemption identifier into the form (e.g. reopened from history)."""
        self.select(entity.type, entity.identifier_type, key.kind.value)
        self.identifier_value.setText(entity.identifier_value)
        self.key_value.setText(key.value)

    def highlight(self, fields: tuple[str, ...]) -> None:
        theme.set_state(self.identifier_value, "invalid", "entity" in fields)
        theme.set_state(self.key_value, "invalid", "redemptionKey" in fields)

    def focus_first_field(self) -> None:
        target = self.identifier_value if not self.identifier_value.text() else self.key_value
        if self.identifier_value.text() and self.key_value.text():
            target = self.identifier_value
        target.setFocus()
        target.selectAll()

    def set_busy(self, busy: bool) -> None:
        self.lookup_button.setEnabled(not busy and self.can_look_up())

    # -- internals --------------------------------------------------------------------------
    def _on_change(self) -> None:
        self._swap_typed_text()
        self._refresh()
        self.changed.emit()

    def _swap_typed_text(self) -> None:
        kinds = (self.identifier_type.currentData(), self.key_kind.currentData())
        for edit, old, new in (
            (self.identifier_value, ("identifier", self._shown_kinds[0]), ("identifier", kinds[0])),
            (self.key_value, ("key", self._shown_kinds[1]), ("key", kinds[1])),
        ):
            if old != new:
                self._typed[old] = edit.text()
                self._shown_kinds = kinds  # before setText: its signal comes back here
                edit.setText(self._typed.get(new, ""))
        self._shown_kinds = kinds

    def _fit_to_placeholders(self) -> None:
        """Wide enough for every sample placeholder and the clear button: none is cut."""
        metrics = self.identifier_value.fontMetrics()
        extra = theme.FIELD_HEIGHT // 2  # margins (the clear button shows only over text)
        for edit, choices in (
            (self.identifier_value, IDENTIFIER_CHOICES),
            (self.key_value, KEY_CHOICES),
        ):
            widest = max(metrics.horizontalAdvance(f"e.g. {c[2]}") for c in choices)
            edit.setMinimumWidth(widest + extra)

    def _refresh(self) -> None:
        identifier_type = self.identifier_type.currentData()
        sample = next(s for data, _, s in IDENTIFIER_CHOICES if data == identifier_type)
        self.identifier_value.setPlaceholderText(f"e.g. {sample}")
        kind_sample = next(
            s for kind, _, s in KEY_CHOICES if str(kind) == self.key_kind.currentData()
        )
        self.key_value.setPlaceholderText(f"e.g. {kind_sample}")
        identifier_shown = self._show(
            self.identifier_error, self.identifier_value, self.identifier_problem()
        )
        key_shown = self._show(self.key_error, self.key_value, self.key_problem())
        text = self.identifier_value.text()
        self.identifier_fix.offer(
            suggestions.suggested_text(identifier_type, text) if identifier_shown else None
        )
        self.key_fix.offer(
            suggestions.suggested_text("redemptionKey", self.key_value.text())
            if key_shown
            else None
        )
        hint = suggestions.mobile_hint(text) if identifier_type == "mobile" else None
        self.identifier_hint.setText(hint or "")
        self.identifier_hint.setVisible(hint is not None)
        entity = self.entity()
        lookup_possible = entity.can_be_looked_up
        self.notice.setVisible(not lookup_possible)
        if not lookup_possible:
            self.notice.setText(no_lookup_reason(entity))
        self.lookup_button.setEnabled(lookup_possible)
        self.lookup_button.setToolTip(
            "Look the redemption up (Enter)"
            if lookup_possible
            else "No lookup exists for this kind of customer identifier."
        )

    def _show(self, label: QLabel, edit: QLineEdit, problem: str | None) -> bool:
        # An empty field is not an error until the agent tries to look up or send.
        visible = problem is not None and (bool(edit.text()) or self._attempted)
        label.setText(problem or "")
        label.setVisible(visible)
        theme.set_state(edit, "invalid", visible)
        return visible


def _under(*widgets: QWidget) -> QHBoxLayout:
    """What goes under a field: its problem or hint, and a one-click fix at the end."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for widget in widgets:
        row.addWidget(widget, 0 if isinstance(widget, FixButton) else 1)
    return row
