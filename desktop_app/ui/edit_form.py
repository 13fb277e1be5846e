"""The three editable values, validated as the agent types, with changed markers and revert.

Text is never altered: what is wrong is said under the field and Send stays disabled. Only
changed fields are sent. With no lookup (baseline unknown) every non-empty field counts as a
change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop_app.core import suggestions, validation
from desktop_app.core.model import PURPOSE_MAX_CHARS, MetadataChange
from desktop_app.desk.outcomes import Baseline
from desktop_app.ui import icons, theme
from desktop_app.ui.widgets import Card, FixButton, role_label

FIELD_NAMES = ("billId", "billNumber", "purpose")


class _Field:
    def __init__(self, name: str, label: str, problem: Callable[[str], str | None], hint: str):
        self.name = name
        self.label_text = label
        self.problem_of = problem
        self.label = QLabel(label)
        theme.set_role(self.label, "fieldLabel")
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{name}Edit")
        theme.restyle(self.edit)
        self.edit.setAccessibleName(label)
        self.edit.setAccessibleDescription(hint)
        self.edit.setToolTip(hint)
        self.label.setBuddy(self.edit)
        self.revert = QToolButton()
        self.revert.setObjectName(f"{name}Revert")
        self.revert.setIcon(icons.icon("revert"))
        self.revert.setAutoRaise(True)
        self.revert.setAccessibleName(f"Revert {label.lower()}")
        self.revert.setToolTip(f"Revert {label.lower()} to its current value")
        self.error = role_label("", "fieldError")
        self.error.setObjectName(f"{name}Error")
        self.error.hide()
        self.fix = FixButton(self.edit, label.lower(), f"{name}Fix")
        self.marker = role_label("", "changed")
        self.marker.setObjectName(f"{name}Changed")
        self.marker.hide()
        self.baseline: str | None = None  # None: current value unknown

    def text(self) -> str:
        return self.edit.text()

    def is_changed(self) -> bool:
        return self.text() != (self.baseline or "")

    def problem(self) -> str | None:
        return self.problem_of(self.text()) if self.is_changed() else None

    def refresh(self) -> None:
        changed = self.is_changed()
        problem = self.problem()
        self.error.setText(problem or "")
        self.error.setVisible(problem is not None)
        self.fix.offer(suggestions.suggested_text(self.name, self.text()) if problem else None)
        self.revert.setVisible(changed)
        self.marker.setVisible(changed)
        if changed:
            was = self.baseline if self.baseline is not None else "unknown"
            self.marker.setText(f"Changed · was “{was}”" if was else "Changed · was empty")
        theme.set_state(self.edit, "changed", changed and problem is None)
        theme.set_state(self.edit, "invalid", problem is not None)
        self.edit.setAccessibleDescription(problem or ("changed" if changed else ""))


class EditForm(Card):
    edited = Signal()
    baselineLoaded = Signal()  # the fields were reset to newly known current values

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Correction", "edit", parent)
        self.bill_id = _Field(
            "billId", "Bill ID", validation.bill_id_problem, "A whole number greater than 0"
        )
        self.bill_number = _Field(
            "billNumber", "Bill number", validation.bill_number_problem, "The bill number"
        )
        self.purpose = _Field(
            "purpose",
            "Purpose",
            validation.purpose_problem,
            f"Why the points were redeemed, at most {PURPOSE_MAX_CHARS} characters",
        )
        self.fields = {f.name: f for f in (self.bill_id, self.bill_number, self.purpose)}

        self.counter = QLabel()
        self.counter.setObjectName("purposeCounter")
        theme.set_role(self.counter, "muted")
        self.hint = role_label("", "muted")
        self.hint.setObjectName("editHint")

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        for index, field in enumerate(self.fields.values()):
            row = index * 2
            grid.addWidget(field.label, row, 0)
            grid.addWidget(field.edit, row, 1)
            grid.addWidget(field.revert, row, 2)
            under = QHBoxLayout()
            under.setContentsMargins(0, 0, 0, 6)
            notes = QWidget()
            notes_layout = QHBoxLayout(notes)
            notes_layout.setContentsMargins(0, 0, 0, 0)
            notes_layout.addWidget(field.error, 1)
            notes_layout.addWidget(field.fix)
            notes_layout.addWidget(field.marker)
            notes_layout.addStretch(0)
            if field is self.purpose:
                notes_layout.addStretch(1)
                notes_layout.addWidget(self.counter)
            under.addWidget(notes)
            grid.addLayout(under, row + 1, 1)
            field.edit.textChanged.connect(self._on_text)
            field.revert.clicked.connect(lambda _=False, f=field: self.revert(f.name))
        grid.setColumnStretch(1, 1)
        self.body.addWidget(self.hint)
        self.body.addLayout(grid)
        self._refresh_all()

    # -- state ------------------------------------------------------------------------------
    def set_baseline(self, baseline: Baseline | None, *, keep_text: bool = False) -> None:
        """New current values (None: unknown). Fields are reset to them unless `keep_text`."""
        for name, field in self.fields.items():
            field.baseline = None if baseline is None else baseline.text(name)
            if not keep_text:
                field.edit.blockSignals(True)
                field.edit.setText(field.baseline or "")
                field.edit.blockSignals(False)
            field.edit.setPlaceholderText("unknown" if baseline is None else "")
        self._refresh_all()
        if baseline is not None and not keep_text:
            self.baselineLoaded.emit()

    def focus_first_field(self) -> None:
        self.bill_id.edit.setFocus()
        self.bill_id.edit.selectAll()

    def revert(self, name: str) -> None:
        field = self.fields[name]
        field.edit.setText(field.baseline or "")
        field.edit.setFocus()

    def set_texts(self, texts: dict[str, str]) -> None:
        for name, text in texts.items():
            self.fields[name].edit.setText(text)

    def highlight(self, names: tuple[str, ...]) -> None:
        for name, field in self.fields.items():
            if name in names:
                theme.set_state(field.edit, "invalid", True)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    # -- reading ----------------------------------------------------------------------------
    def changed_names(self) -> tuple[str, ...]:
        return tuple(name for name, field in self.fields.items() if field.is_changed())

    def problems(self) -> list[tuple[str, str]]:
        return [
            (field.label_text, problem)
            for field in self.fields.values()
            if (problem := field.problem()) is not None
        ]

    def change(self) -> MetadataChange:
        """The changed, valid fields. Call only when `problems()` is empty."""
        return MetadataChange(
            bill_id=validation.parse_bill_id(self.bill_id.text())
            if self.bill_id.is_changed()
            else None,
            bill_number=self.bill_number.text() if self.bill_number.is_changed() else None,
            purpose=self.purpose.text() if self.purpose.is_changed() else None,
        )

    # -- internals --------------------------------------------------------------------------
    def _on_text(self) -> None:
        self._refresh_all()
        self.edited.emit()

    def _refresh_all(self) -> None:
        for field in self.fields.values():
            field.refresh()
        length = len(self.purpose.text())
        self.counter.setText(f"{length}/{PURPOSE_MAX_CHARS}")
        self.counter.setAccessibleName(f"Purpose length {length} of {PURPOSE_MAX_CHARS}")
        theme.set_state(
            self.counter, "role", "fieldError" if length > PURPOSE_MAX_CHARS else "muted"
        )
