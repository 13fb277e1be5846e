"""The desk's two flows — look up, and confirm then send — and what the form allows at each step.

Every request runs as a TaskRunner job. A form revision counter goes up on every change to the
form; a result is only put back into the form when the revision it started from is still
current, so a late answer never overwrites what the agent has typed since.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.model import (
    ApiProblem,
    Credentials,
    Entity,
    KeyKind,
    MetadataChange,
    ProblemKind,
    Redemption,
    RedemptionKey,
)
from desktop_app.desk.session import Connection
from desktop_app.ui.lookup_form import no_lookup_reason

if TYPE_CHECKING:
    from desktop_app.desk.jobs import CallPlan, CallResult, FreshSecret
    from desktop_app.ui.confirm_dialog import ConfirmContent, ConfirmDialog
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.response_panel import Exchange

# Modules only a lookup or a send needs are imported when first used, not at start-up (see
# benchmarks/startup.py): error_catalogue, update_request, jobs, after_update, confirm_dialog.

log = logging.getLogger(__name__)

STALE_NOTE = (
    "The form changed while this request was on its way, so its values were not put into the "
    "form; look the redemption up again."
)
SEND_TIP = "Review the change and send it (Ctrl+Enter)"
_FIELD_LABELS = (("billId", "Bill ID"), ("billNumber", "Bill number"), ("purpose", "Purpose"))
SENT_ON = "The update you confirmed will be sent once you continue."


@dataclass(frozen=True)
class LookupContext:
    """The redemption the form's current values came from, and which entity and key found it."""

    entity: Entity
    key: RedemptionKey
    redemption: Redemption
    source: str


@dataclass(frozen=True)
class SendPlan:
    """An update as the agent confirmed it; exactly this is sent."""

    connection: Connection
    entity: Entity
    key: RedemptionKey
    change: MetadataChange
    before: dict[str, Any] | None
    body: dict[str, Any]
    request_json: str
    revision: int


def problem_fields(problem: ApiProblem) -> tuple[str, ...]:
    """The form fields an error concerns, from the catalogue (or the problem's kind)."""
    from desktop_app.core.error_catalogue import explain

    fields: set[str] = set()
    for code in problem.codes:
        fields.update(explain(code, problem.message).fields)
    if not fields and problem.kind is ProblemKind.NOT_FOUND:
        fields.add("redemptionKey")
    if problem.kind is ProblemKind.AUTH:
        fields.add("credentials")
    return tuple(sorted(fields))


def lookup_failure_text(problem: ApiProblem) -> str:
    from desktop_app.core.error_catalogue import explain
    from desktop_app.ui.response_panel import retry_after_text

    wait = retry_after_text(problem.retry_after_seconds)
    if problem.code is not None:
        explanation = explain(problem.code, problem.message)
        return (
            f"{explanation.title} ({problem.code}: {problem.message}). {explanation.action}{wait}"
        )
    return problem.message + wait


def _clock() -> str:
    from datetime import datetime  # not at start-up: only a lookup or an update says the time

    return f"{datetime.now():%H:%M:%S}"


def _shown(value: Any, *, known: bool) -> str:
    if not known:
        return "unknown"
    if value is None:
        return "not set"
    return str(value) if value != "" else "(empty)"


def _values_of(redemption: Redemption) -> dict[str, Any]:
    from desktop_app.core.history import redemption_values  # loaded by then: see _warm_up

    return redemption_values(redemption)


def request_text(plan: SendPlan) -> str:
    from desktop_app.core.update_request import UPDATE_PATH

    return (
        f"PUT {plan.connection.base_url.rstrip('/')}{UPDATE_PATH}\n"
        "Authorization: Basic <redacted>\n"
        "Content-Type: application/json\n"
        "Accept: application/json\n\n"
        f"{plan.request_json}"
    )


class DeskFlows(QObject):
    # Emitted from worker threads after each history write (queued to the UI thread's slots).
    historyChanged = Signal()

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.w = window
        self._revision = 0
        self._context: LookupContext | None = None
        self._mode = ""
        self._summary_shows: tuple[Any, ...] = ()
        self._summary_pinned = False  # a lookup failure stays on show until the form changes
        self._lookup_task: int | None = None
        self._lookup_waiting = False  # the credentials dialog is open for a lookup
        self._waiting_for_sandbox = False  # --demo: a lookup asked for while its sandbox starts
        self._send_task: int | None = None
        self._sending = False  # from "Send update" until the answer (or Stop waiting)
        self._confirm: ConfirmDialog | None = None
        # Values reopened from the history, put into the edit fields once the lookup is done.
        self._reopened: tuple[Entity, RedemptionKey, dict[str, str]] | None = None

        form = window.lookup_form
        form.lookupRequested.connect(self.request_lookup)
        form.changed.connect(self._form_changed)
        window.edit_form.edited.connect(self._form_changed)
        window.send_button.clicked.connect(self.request_send)
        window.send_action.triggered.connect(self.request_send)
        window.focus_lookup_action.triggered.connect(self.focus_lookup)
        window.stop_action.triggered.connect(self.stop_waiting)
        window.connection_bar.stopRequested.connect(self.stop_waiting)

    # -- state ------------------------------------------------------------------------------
    @property
    def revision(self) -> int:
        return self._revision

    def is_busy(self) -> bool:
        """A lookup or an update is waiting for credentials or for its answer."""
        return (
            self._lookup_task is not None
            or self._lookup_waiting
            or self._sending
            or self._send_task is not None
        )

    def update_in_flight(self) -> bool:
        return self._send_task is not None

    def connection_changed(self) -> None:
        self._context = None
        connection = self.w.connection
        resume = self._waiting_for_sandbox and not (connection and connection.starting)
        if resume:
            self._waiting_for_sandbox = self._lookup_waiting = False
        self._sync()
        if resume:
            self.request_lookup()  # the one asked for while the demo sandbox was starting

    def focus_lookup(self) -> None:
        self.w.activateWindow()
        self.w.lookup_form.focus_first_field()

    def _form_changed(self) -> None:
        self._revision += 1
        self._summary_pinned = False
        self._sync()

    def _sync(self) -> None:
        """Derives what the form allows now: edit mode, summary, Send and its reason."""
        w, form = self.w, self.w.lookup_form
        entity, key = form.entity(), form.key()
        context = self._context
        if context is not None and context.entity == entity and context.key == key:
            mode = "known"
        elif not entity.can_be_looked_up:
            mode = "unknown"
        else:
            mode = "needs lookup"
        if mode != self._mode:
            from desktop_app.ui.after_update import baseline_of

            if mode == "known":
                w.edit_form.set_baseline(baseline_of(context.redemption), keep_text=True)
            elif mode == "unknown":
                w.edit_form.set_baseline(None, keep_text=True)
        self._mode = mode
        self._show_summary(mode, entity)

        looking_up = self._lookup_task is not None or self._lookup_waiting
        w.edit_form.setEnabled(mode != "needs lookup" and not looking_up)
        w.edit_form.set_hint(
            "Look the redemption up first: its current values fill these fields."
            if mode == "needs lookup"
            else ""
        )
        form.set_busy(looking_up or self._sending)
        reason = self.send_blocker()
        w.send_button.setEnabled(reason is None)
        w.send_button.setToolTip(reason or SEND_TIP)
        w.send_reason.setText(reason or "")
        w.send_action.setEnabled(True)  # Ctrl+Enter explains why when Send is disabled
        w.stop_action.setEnabled(self._send_task is not None or self._lookup_task is not None)

    def _show_summary(self, mode: str, entity: Entity) -> None:
        context = self._context
        shows = (mode, id(context), entity.type, entity.identifier_type)
        if self._summary_pinned or shows == self._summary_shows:
            return
        self._summary_shows = shows
        summary = self.w.summary
        if mode == "known":
            summary.show_redemption(context.redemption, context.source)
        elif mode == "unknown":
            summary.show_unknown(no_lookup_reason(entity))
        elif context is not None:
            summary.show_redemption(context.redemption, context.source)
            summary.mark_stale(True)
        else:
            summary.show_empty()

    def send_blocker(self) -> str | None:
        """Why Send is disabled right now, in words for the tooltip; None when it may be used."""
        w = self.w
        if w.connection is None:
            return "Choose a connection profile first (File → Profiles…)."
        if w.connection.starting:
            return "The demo sandbox is starting: wait a moment."
        if self._sending:
            return "An update is on its way: wait for its answer, or stop waiting."
        if self._lookup_task is not None or self._lookup_waiting:
            return "Wait for the lookup to finish."
        problem = w.lookup_form.first_problem()
        if problem:
            return problem
        if self._mode == "needs lookup":
            if self._context is not None:
                return "The customer or identifier changed since the lookup: look it up again."
            return "Look the redemption up first, so its current values are known."
        problems = w.edit_form.problems()
        if problems:
            return problems[0][1]
        if not w.edit_form.changed_names():
            if self._mode == "unknown":
                return "Fill in the bill ID, bill number or purpose to send."
            return "Nothing changed yet: correct the bill ID, bill number or purpose."
        return None

    def reopen(self, entity: Entity, key: RedemptionKey, values: dict[str, Any] | None) -> None:
        """Puts a past request back into the form for a new send; never sends by itself.

        `values` is the history's `after` ({"billId", "billNumber", "purpose"}, any subset).
        Where a lookup exists it runs first, so the current values are known, and the reopened
        values are then typed over them; otherwise they go straight into the fields.
        """
        texts = {
            name: "" if value is None else str(value)
            for name, value in (values or {}).items()
            if name in ("billId", "billNumber", "purpose")
        }
        self.w.lookup_form.fill(entity, key)
        if entity.can_be_looked_up:
            self._reopened = (entity, key, texts)
            self.request_lookup()
        else:
            self.w.edit_form.set_texts(texts)

    # -- lookup -----------------------------------------------------------------------------
    def request_lookup(self) -> None:
        w = self.w
        if self._lookup_task is not None or self._lookup_waiting or self._sending:
            return
        connection = w.connection
        form = w.lookup_form
        if connection is None:
            w.notify("Choose a connection profile first (File → Profiles…).")
            return
        if connection.starting:  # runs once the demo sandbox is up: see connection_changed
            self._waiting_for_sandbox = self._lookup_waiting = True
            self._sync()
            return
        if not form.can_look_up():
            w.notify(no_lookup_reason(form.entity()))
            return
        if form.first_problem():
            form.show_problems()
            return
        entity, key = form.entity(), form.key()
        self._lookup_waiting = True
        self._sync()
        w.gate.obtain(
            connection, partial(self._start_lookup, connection, entity, key), self._lookup_refused
        )

    def _start_lookup(
        self,
        connection: Connection,
        entity: Entity,
        key: RedemptionKey,
        credentials: Credentials,
        fresh: FreshSecret | None,
    ) -> None:
        from desktop_app.desk import jobs
        from desktop_app.desk.jobs import CallPlan

        self._lookup_waiting = False
        plan = CallPlan(
            connection,
            credentials,
            fresh,
            entity,
            key,
            request_json=jobs.lookup_request_json(entity, key),
            recorded=self.historyChanged.emit,
        )
        self.w.connection_bar.set_busy(f"Looking up {key.value}…")
        self._lookup_task = self.w.runner.run(
            partial(jobs.run_lookup, self.w.services, plan),
            partial(self._lookup_done, plan, self._revision),
            partial(self._crashed, "lookup"),
        )
        self._sync()

    def _lookup_refused(self, message: str) -> None:
        self._lookup_waiting = False
        self.w.connection_bar.set_idle("Lookup not started")
        self.w.notify(message)
        self._sync()

    def _lookup_done(self, plan: CallPlan, revision: int, result: CallResult) -> None:
        w = self.w
        self._lookup_task = None
        self._notify_all(result.notices)
        w.team.show_changes(result.team_changes if revision == self._revision else ())
        if result.rejection is not None:
            w.connection_bar.set_error("The till rejected the credentials")
            self._lookup_waiting = True
            w.gate.obtain(
                plan.connection,
                partial(self._start_lookup, plan.connection, plan.entity, plan.key),
                self._lookup_refused,
                rejection=result.rejection,
            )
        elif result.problem is not None:
            problem = result.problem
            if self._context is not None and self._context.key == plan.key:
                self._context = None
            self._summary_pinned = True
            w.summary.show_failure(lookup_failure_text(problem))
            w.connection_bar.set_error(f"Lookup failed: {problem.kind}")
            w.lookup_form.highlight(problem_fields(problem))
        elif revision != self._revision:
            w.connection_bar.set_idle("Lookup result not applied")
            w.notify("The lookup finished after the form had changed, so its result was not used.")
        else:
            from desktop_app.ui.after_update import baseline_of

            redemption = result.value
            assert isinstance(redemption, Redemption)
            source = f"looked up at {_clock()}"
            self._context = LookupContext(plan.entity, plan.key, redemption, source)
            w.edit_form.set_baseline(baseline_of(redemption))
            self._mode = "known"
            self._revision += 1
            w.connection_bar.set_idle(f"Found {plan.key.value}")
            if self._reopened is not None and self._reopened[:2] == (plan.entity, plan.key):
                w.edit_form.set_texts(self._reopened[2])
        self._reopened = None if result.rejection is None else self._reopened
        self._sync()

    # -- send -------------------------------------------------------------------------------
    def request_send(self) -> None:
        from desktop_app.core.update_request import build_update_body, dumps_body
        from desktop_app.ui.confirm_dialog import ConfirmDialog

        w = self.w
        if self._confirm is not None or self._sending:
            return
        reason = self.send_blocker()
        if reason is not None:
            w.lookup_form.show_problems()
            w.notify(f"Not sent: {reason}")
            return
        form, edit = w.lookup_form, w.edit_form
        entity, key, change = form.entity(), form.key(), edit.change()
        known = self._mode == "known"
        before = _values_of(self._context.redemption) if known else None
        try:
            body = build_update_body(entity, key, change)
        except ValueError as refused:
            w.response.show_note("error", "Not sent", str(refused))
            return
        plan = SendPlan(
            w.connection, entity, key, change, before, body, dumps_body(body), self._revision
        )
        dialog = ConfirmDialog(w, self._confirm_content(plan))
        self._confirm = dialog
        dialog.accepted.connect(partial(self._confirmed, plan))
        dialog.finished.connect(partial(self._confirm_closed, dialog))
        dialog.open()

    def _confirm_content(self, plan: SendPlan) -> ConfirmContent:
        from desktop_app.ui.confirm_dialog import ConfirmContent, FieldChange

        after = plan.change.to_json()
        changes = tuple(
            FieldChange(
                label,
                _shown((plan.before or {}).get(name), known=plan.before is not None),
                _shown(after[name], known=True),
            )
            for name, label in _FIELD_LABELS
            if name in after
        )
        return ConfirmContent(
            customer=plan.entity.describe(),
            identifier=plan.key.describe(),
            host=plan.connection.host,
            username=plan.connection.username,
            changes=changes,
            request_json=plan.request_json,
            demo=plan.connection.is_demo,
            who=self._known_customer(plan),
        )

    def _known_customer(self, plan: SendPlan) -> str:
        context = self._context
        if plan.before is None or context is None or context.redemption.customer is None:
            return ""
        return context.redemption.customer.describe()

    def _confirm_closed(self, dialog: ConfirmDialog, _result: int = 0) -> None:
        if self._confirm is dialog:
            self._confirm = None
        dialog.deleteLater()
        self._sync()

    def _confirmed(self, plan: SendPlan) -> None:
        if self._sending:
            return  # a second accept of the same dialog must not send twice
        self._sending = True
        self._sync()
        self.w.gate.obtain(
            plan.connection, partial(self._start_update, plan), self._send_refused, then=SENT_ON
        )

    def _send_refused(self, message: str) -> None:
        self._sending = False
        self.w.response.show_note("info", "Not sent", message)
        self.w.connection_bar.set_idle("Update not sent")
        self._sync()

    def _start_update(
        self, plan: SendPlan, credentials: Credentials, fresh: FreshSecret | None
    ) -> None:
        from desktop_app.core.update_request import curl_command
        from desktop_app.desk import jobs
        from desktop_app.desk.jobs import CallPlan
        from desktop_app.ui.response_panel import Exchange

        w = self.w
        call = CallPlan(
            plan.connection,
            credentials,
            fresh,
            plan.entity,
            plan.key,
            before=plan.before,
            change=plan.change,
            request_json=plan.request_json,
            recorded=self.historyChanged.emit,
        )
        exchange = Exchange(
            request_text(plan),
            curl_command(plan.connection.base_url, plan.body, plan.connection.username),
        )
        w.response.show_sending(exchange)
        w.side_tabs.setCurrentIndex(0)
        w.connection_bar.set_busy("Sending the update…")
        self._send_task = w.runner.run(
            partial(jobs.run_update, w.services, call),
            partial(self._update_done, plan, exchange),
            partial(self._crashed, "update"),
        )
        self._sync()

    def _update_done(self, plan: SendPlan, exchange: Exchange, result: CallResult) -> None:
        w = self.w
        self._send_task = None
        self._sending = False
        self._notify_all(result.notices)
        stale = plan.revision != self._revision
        note = STALE_NOTE if stale else ""
        problem = result.problem
        if problem is None:
            update = result.value
            exchange = replace(exchange, response_text=update.raw, http_status=update.http_status)
            w.response.show_success(exchange, update, note)
            w.connection_bar.set_idle("Update applied")
            if not stale:
                self._apply_update(plan, update)
        else:
            exchange = replace(exchange, response_text=problem.raw, http_status=problem.http_status)
            self.present_update_failure(exchange, problem, stale=stale)
            if problem.may_have_applied:
                self._forget_current_values(plan)
            if result.rejection is not None:
                self._sending = True
                w.gate.obtain(
                    plan.connection,
                    partial(self._start_update, plan),
                    self._send_refused,
                    rejection=result.rejection,
                    then=SENT_ON,
                )
        self._sync()

    def present_update_failure(
        self, exchange: Exchange, problem: ApiProblem, *, stale: bool = False
    ) -> None:
        """Shows a failed update: banner, explained errors, and the fields concerned marked."""
        w = self.w
        w.response.show_failure(exchange, problem, STALE_NOTE if stale else "")
        w.connection_bar.set_error(
            "Update outcome unknown" if problem.may_have_applied else "Update failed"
        )
        if not stale and not problem.may_have_applied:
            fields = problem_fields(problem)
            w.edit_form.highlight(fields)
            w.lookup_form.highlight(fields)

    def _apply_update(self, plan: SendPlan, update: Any) -> None:
        from desktop_app.ui.after_update import baseline_of, redemption_after_update

        previous = self._context.redemption if self._mode == "known" else None
        fallback_id = plan.key.value if plan.key.kind is KeyKind.REDEMPTION_ID else ""
        redemption = redemption_after_update(previous, update, plan.change, fallback_id)
        source = f"after the update at {_clock()}"
        self._context = LookupContext(plan.entity, plan.key, redemption, source)
        self.w.edit_form.set_baseline(baseline_of(redemption))
        self._mode = "known"
        self._revision += 1

    def _forget_current_values(self, plan: SendPlan) -> None:
        """After an update whose outcome is unknown, the values shown may be wrong: look again."""
        if plan.entity.can_be_looked_up:
            self._context = None

    def stop_waiting(self) -> None:
        w = self.w
        if self._send_task is not None:
            w.runner.forget(self._send_task)
            self._send_task = None
            self._sending = False
            w.response.show_stopped()
            w.connection_bar.set_idle("Stopped waiting — the update may still be applied")
            if w.lookup_form.can_look_up():
                self._context = None
        elif self._lookup_task is not None:
            w.runner.forget(self._lookup_task)
            self._lookup_task = None
            w.connection_bar.set_idle("Stopped waiting for the lookup")
        self._sync()

    # -- verify by lookup (History) ------------------------------------------------------------
    def verify(self, entry: Any) -> None:
        """History's "Verify by lookup" of an update whose outcome is unknown (a HistoryEntry):
        looks it up on the host it went to, through the same credential gate as a lookup, and
        records what the server holds. Never sends an update and leaves the form alone."""
        connection = self.w.connection
        if connection is None:
            self._verify_said("Choose a connection profile first (File → Profiles…).")
        elif connection.starting:
            self._verify_said("The demo sandbox is starting: verify again in a moment.")
        elif connection.host != entry.host:
            self._verify_said(
                f"Entry #{entry.id} went to {entry.host}, but the desk is connected to "
                f"{connection.host}: choose a profile for {entry.host} to verify it."
            )
        elif not entry.entity.can_be_looked_up:
            self._verify_said(
                f"Entry #{entry.id} cannot be verified here: " + no_lookup_reason(entry.entity)
            )
        else:
            self.w.gate.obtain(
                connection, partial(self._start_verify, connection, entry), self._verify_said
            )

    def _start_verify(
        self,
        connection: Connection,
        entry: Any,
        credentials: Credentials,
        fresh: FreshSecret | None,
    ) -> None:
        from desktop_app.desk import jobs
        from desktop_app.desk.jobs import CallPlan

        plan = CallPlan(
            connection,
            credentials,
            fresh,
            entry.entity,
            entry.key,
            request_json=jobs.lookup_request_json(entry.entity, entry.key),
            recorded=self.historyChanged.emit,
        )
        self.w.runner.run(
            partial(jobs.run_verification, self.w.services, plan, entry.id),
            partial(self._verified, plan, entry),
            partial(self._verify_crashed, entry),
        )

    def _verified(self, plan: CallPlan, entry: Any, result: CallResult) -> None:
        self._notify_all(result.notices)
        if result.rejection is not None:
            self.w.gate.obtain(
                plan.connection,
                partial(self._start_verify, plan.connection, entry),
                self._verify_said,
                rejection=result.rejection,
            )
        elif result.problem is not None:
            self._verify_said(
                f"Entry #{entry.id} could not be verified: {lookup_failure_text(result.problem)}"
            )
        else:
            self._verify_said(result.verdict or f"Entry #{entry.id}: looked up.")

    def _verify_crashed(self, entry: Any, error: BaseException) -> None:
        log.error("verifying history entry %s failed unexpectedly", entry.id, exc_info=error)
        self._verify_said(f"Verifying entry #{entry.id} failed unexpectedly: {error!r}")

    def _verify_said(self, text: str) -> None:
        """Where the agent pressed Verify (the History panel) and in the status bar."""
        panel_message = getattr(self.w.history_panel, "message", None)
        if panel_message is not None:
            panel_message.setText(text)
        self.w.notify(text)

    # -- shared -----------------------------------------------------------------------------
    def _notify_all(self, notices: tuple[str, ...]) -> None:
        if notices:
            self.w.notify(" ".join(notices), 0)
            self.w.refresh_secret_location()

    def _crashed(self, what: str, error: BaseException) -> None:
        """A bug, not an API answer: say so plainly instead of leaving the desk stuck."""
        log.error("the %s job failed unexpectedly", what, exc_info=error)
        w = self.w
        if what == "lookup":
            self._lookup_task = None
            w.summary.show_failure(f"The lookup failed unexpectedly: {error!r}")
            self._summary_pinned = True
        else:
            self._send_task = None
            self._sending = False
            w.response.show_note(
                "error",
                "Unexpected error — the update may or may not have been sent",
                f"{error!r}. Look the redemption up again before retrying.",
            )
        w.connection_bar.set_error(f"{what.capitalize()} failed unexpectedly")
        self._sync()
