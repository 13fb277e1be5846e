"""Renders the desk's state (`desk.state.DeskState`) into the window's widgets, and runs what it
asks for — credentials, lookups, updates — through the one TaskRunner.

The decisions live in the state machine; this adapter feeds it events (form edits, answers,
the agent's choices) and draws what it says.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton

from desktop_app.core.model import ApiProblem, Credentials, Entity, RedemptionKey
from desktop_app.desk.outcomes import no_lookup_reason, problem_fields
from desktop_app.desk.session import Connection, DeskServices
from desktop_app.desk.state import (
    Corrections,
    DeskState,
    FormMode,
    Phase,
    Refusal,
    Request,
    SendPlan,
    Verdict,
)
from desktop_app.ui.connection_bar import ConnectionBar
from desktop_app.ui.credential_gate import CredentialGate
from desktop_app.ui.edit_form import EditForm
from desktop_app.ui.lookup_form import LookupForm
from desktop_app.ui.response_panel import ResponsePanel
from desktop_app.ui.summary_view import RedemptionSummary
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.team_view import TeamView

if TYPE_CHECKING:
    from desktop_app.desk.answer_view import PreparedAnswer
    from desktop_app.desk.jobs import CallPlan, CallResult, FreshSecret
    from desktop_app.ui.confirm_dialog import ConfirmContent, ConfirmDialog
    from desktop_app.ui.response_panel import Exchange

log = logging.getLogger(__name__)

SEND_TIP = "Review the change and send it (Ctrl+Enter)"
_FIELD_LABELS = (("billId", "Bill ID"), ("billNumber", "Bill number"), ("purpose", "Purpose"))
SENT_ON = "The update you confirmed will be sent once you continue."


@dataclass(frozen=True)
class DeskWidgets:
    """The widgets the desk's state is drawn into."""

    lookup_form: LookupForm
    edit_form: EditForm
    summary: RedemptionSummary
    response: ResponsePanel
    connection_bar: ConnectionBar
    send_button: QPushButton
    send_reason: QLabel
    send_action: QAction
    stop_action: QAction
    team: TeamView  # what teammates changed on the redemption a lookup found


def _shown(value: object, *, known: bool) -> str:
    if not known:
        return "unknown"
    if value is None:
        return "not set"
    return str(value) if value != "" else "(empty)"


def request_text(plan: SendPlan, request_json: str) -> str:
    from desktop_app.core.update_request import UPDATE_PATH

    return (
        f"PUT {plan.connection.base_url.rstrip('/')}{UPDATE_PATH}\n"
        "Authorization: Basic <redacted>\n"
        "Content-Type: application/json\n"
        "Accept: application/json\n\n"
        f"{request_json}"
    )


class DeskFlows(QObject):
    # Emitted from worker threads after each history write (queued to the UI thread's slots).
    historyChanged = Signal()
    busyChanged = Signal(bool)
    notice = Signal(str, int)  # text for the status bar, and how long (ms; 0: until replaced)
    secretStoreChanged = Signal()  # a save or a forget may have changed where secrets are kept
    answerShown = Signal()  # an update's answer is coming: show the Response tab

    def __init__(
        self,
        parent: QObject,
        widgets: DeskWidgets,
        runner: TaskRunner,
        gate: CredentialGate,
        services: DeskServices,
    ):
        super().__init__(parent)
        self.state = DeskState()
        self.ui = widgets
        self._runner = runner
        self._gate = gate
        self._services = services
        self._task: int | None = None  # the lookup or update whose answer the desk waits for
        self._confirm: ConfirmDialog | None = None
        self._drawn: tuple[object, ...] = ()
        self._was_busy = False

        form = widgets.lookup_form
        form.lookupRequested.connect(self.request_lookup)
        form.changed.connect(self._form_changed)
        widgets.edit_form.edited.connect(self._form_changed)
        widgets.send_button.clicked.connect(self.request_send)
        widgets.send_action.triggered.connect(self.request_send)
        widgets.stop_action.triggered.connect(self.stop_waiting)
        widgets.connection_bar.stopRequested.connect(self.stop_waiting)
        self._read_form()

    # -- queries ----------------------------------------------------------------------------
    @property
    def connection(self) -> Connection | None:
        return self.state.connection

    def is_busy(self) -> bool:
        """A lookup or an update is waiting for the sandbox, credentials or its answer."""
        return self.state.busy

    def update_in_flight(self) -> bool:
        return self.state.phase is Phase.SENDING

    # -- events from the window -------------------------------------------------------------
    def set_connection(self, connection: Connection | None) -> None:
        # A lookup's late answer is dropped; an update's still shows what became of it.
        dropped = self.state.looking_up and self.state.phase is not Phase.WAITING_FOR_SANDBOX
        if self._task is not None and self.state.phase is Phase.LOOKING_UP:
            self._runner.forget(self._task)
            self._task = None
        for dialog in (self._confirm, self._gate.dialog):
            if dialog is not None:
                dialog.reject()
        had_values = self.state.context is not None
        resume = self.state.connection_changed(connection)
        self._render(baseline_reset=had_values)  # another host's values must not linger
        if dropped:
            self.ui.connection_bar.set_idle("Lookup dropped: the connection changed")
        if resume:
            self.request_lookup()  # the one asked for while the demo sandbox was starting

    def reopen(self, entity: Entity, key: RedemptionKey, values: dict[str, object] | None) -> None:
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
        self.ui.lookup_form.fill(entity, key)
        self.state.reopen(entity, key, texts)
        if entity.can_be_looked_up:
            self.request_lookup()
        else:
            self.ui.edit_form.set_texts(texts)
        self._render()

    def _read_form(self) -> None:
        form, edit = self.ui.lookup_form, self.ui.edit_form
        problems = edit.problems()
        corrections = Corrections(
            None if problems else edit.change(),
            problems[0][1] if problems else None,
            bool(edit.changed_names()),
        )
        self.state.form_changed(form.entity(), form.key(), corrections)

    def _form_changed(self) -> None:
        self._read_form()
        self._render()

    # -- rendering --------------------------------------------------------------------------
    def _render(self, *, baseline_reset: bool = False) -> None:
        """Draws the state: current values, summary, what Send allows, the answer's title."""
        state, ui = self.state, self.ui
        mode = state.mode
        drawn = (mode, id(state.context), state.failure, state.entity.type)
        if baseline_reset or drawn[:2] != self._drawn[:2]:
            # Entering or leaving a known redemption: its values become the fields' baseline;
            # the agent's text stays unless a lookup or an update just replaced the values.
            ui.edit_form.set_baseline(state.baseline(), keep_text=not baseline_reset)
            self._read_form()
        if drawn != self._drawn:
            self._draw_summary(mode)
        self._drawn = drawn

        ui.edit_form.setEnabled(mode is not FormMode.NEEDS_LOOKUP and not state.looking_up)
        ui.edit_form.set_hint(
            "Look the redemption up first: its current values fill these fields."
            if mode is FormMode.NEEDS_LOOKUP
            else ""
        )
        ui.lookup_form.set_busy(state.busy)
        reason = state.send_blocker()
        ui.send_button.setEnabled(reason is None)
        ui.send_button.setToolTip(reason or SEND_TIP)
        ui.send_reason.setText(reason or "")
        ui.send_action.setEnabled(True)  # Ctrl+Enter explains why when Send is disabled
        ui.stop_action.setEnabled(state.phase in (Phase.LOOKING_UP, Phase.SENDING))
        answer = state.answer
        if answer is not None and answer.earlier:
            if ui.response.answer_title.text() != answer.title:
                ui.response.show_earlier(answer.title)
        elif answer is not None:
            ui.response.show_title(answer.title)
        if state.busy != self._was_busy:
            self._was_busy = state.busy
            self.busyChanged.emit(state.busy)

    def _draw_summary(self, mode: FormMode) -> None:
        state, summary = self.state, self.ui.summary
        context = state.context
        if state.failure:
            summary.show_failure(state.failure)
        elif mode is FormMode.KNOWN and context is not None:
            summary.show_redemption(context.redemption, context.source)
        elif mode is FormMode.UNKNOWN:
            summary.show_unknown(no_lookup_reason(state.entity))
        elif context is not None:
            summary.show_redemption(context.redemption, context.source)
            summary.mark_stale(True)
        else:
            summary.show_empty()

    def _say(self, text: str, timeout_ms: int = 15000) -> None:
        self.notice.emit(text, timeout_ms)

    # -- lookup -----------------------------------------------------------------------------
    def request_lookup(self) -> None:
        request = self.state.lookup_requested()
        if isinstance(request, Refusal):
            if request.show_form_problems:
                self.ui.lookup_form.show_problems()
            else:
                self._say(request.reason)
        elif isinstance(request, Request):
            self._gate.obtain(
                request.connection,
                partial(self._start_lookup, request),
                partial(self._lookup_refused, request),
            )
        self._render()

    def _start_lookup(
        self, request: Request, credentials: Credentials, fresh: FreshSecret | None
    ) -> None:
        from desktop_app.desk import jobs
        from desktop_app.desk.jobs import CallPlan

        if not self.state.lookup_credentials_given(request):
            return
        plan = CallPlan.for_lookup(
            request.connection,
            credentials,
            fresh,
            request.entity,
            request.key,
            self.historyChanged.emit,
        )
        self.ui.connection_bar.set_busy(f"Looking up {request.key.value}…")
        self._task = self._runner.run(
            partial(jobs.run_lookup, self._services, plan),
            partial(self._lookup_done, request, plan),
            partial(self._crashed, "lookup"),
        )
        self._render()

    def _lookup_refused(self, request: Request, message: str) -> None:
        self.state.lookup_credentials_refused(request, message)
        self.ui.connection_bar.set_idle(self.state.stopped)
        self._say(message)
        self._render()

    def _lookup_done(self, request: Request, plan: CallPlan, result: CallResult) -> None:
        from desktop_app.core.model import Redemption

        self._task = None
        self._notify_all(result.notices)
        value = result.value if isinstance(result.value, Redemption) else None
        verdict = self.state.lookup_answered(request, value, result.problem)
        current = verdict not in (Verdict.DISCARDED, Verdict.NOT_APPLIED)
        self.ui.team.show_changes(result.team_changes if current else ())
        bar = self.ui.connection_bar
        if verdict is Verdict.REJECTED:
            bar.set_error("The till rejected the credentials")
            self._gate.obtain(
                plan.connection,
                partial(self._start_lookup, request),
                partial(self._lookup_refused, request),
                rejection=result.rejection,
            )
        elif verdict is Verdict.FAILED:
            assert result.problem is not None
            bar.set_error(self.state.stopped)
            self.ui.lookup_form.highlight(problem_fields(result.problem))
        elif verdict is Verdict.NOT_APPLIED:
            bar.set_idle(self.state.stopped)
            self._say("The lookup finished after the form had changed, so its result was not used.")
        elif verdict is Verdict.FOUND:
            bar.set_idle(self.state.stopped)
        self._render(baseline_reset=verdict in (Verdict.FOUND, Verdict.FAILED))
        texts = self.state.take_reopened_texts()
        if texts is not None:
            self.ui.edit_form.set_texts(texts)

    # -- send -------------------------------------------------------------------------------
    def request_send(self) -> None:
        from desktop_app.core.update_request import build_update_body, dumps_body
        from desktop_app.ui.confirm_dialog import ConfirmDialog

        if self._confirm is not None:
            return
        plan = self.state.send_requested()
        if isinstance(plan, Refusal):
            self.ui.lookup_form.show_problems()
            self._say(plan.reason)
            return
        if plan is None:
            return
        try:
            body = build_update_body(plan.entity, plan.key, plan.change)
        except ValueError as refused:
            self.state.review_closed()
            self.ui.response.show_note("error", "Not sent", str(refused))
            return
        request_json = dumps_body(body)
        dialog = ConfirmDialog(
            self.ui.send_button.window(), self._confirm_content(plan, request_json)
        )
        self._confirm = dialog
        dialog.accepted.connect(partial(self._confirmed, plan, body, request_json))
        dialog.finished.connect(partial(self._confirm_closed, dialog))
        dialog.open()
        self._render()

    def _confirm_content(self, plan: SendPlan, request_json: str) -> ConfirmContent:
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
            request_json=request_json,
            demo=plan.connection.is_demo,
            who=self._known_customer(plan),
        )

    def _known_customer(self, plan: SendPlan) -> str:
        context = self.state.context
        if plan.before is None or context is None or context.redemption.customer is None:
            return ""
        return context.redemption.customer.describe()

    def _confirm_closed(self, dialog: ConfirmDialog, _result: int = 0) -> None:
        if self._confirm is dialog:
            self._confirm = None
        dialog.deleteLater()
        self.state.review_closed()
        self._render()

    def _confirmed(self, plan: SendPlan, body: dict[str, object], request_json: str) -> None:
        refusal = self.state.send_confirmed(plan)
        if refusal is not None:
            self._say(refusal.reason)
            self._render()
            return
        self._render()
        self._gate.obtain(
            plan.connection,
            partial(self._start_update, plan, body, request_json),
            partial(self._send_refused, plan),
            then=SENT_ON,
        )

    def _send_refused(self, plan: SendPlan, message: str) -> None:
        self.state.send_credentials_refused(plan, message)
        self.ui.response.show_note("info", "Not sent", self.state.stopped)
        self.ui.connection_bar.set_idle(self.state.stopped)
        self._render()

    def _start_update(
        self,
        plan: SendPlan,
        body: dict[str, object],
        request_json: str,
        credentials: Credentials,
        fresh: FreshSecret | None,
    ) -> None:
        from desktop_app.core.update_request import curl_command
        from desktop_app.desk import jobs
        from desktop_app.desk.jobs import CallPlan
        from desktop_app.ui.response_panel import Exchange

        if not self.state.send_credentials_given(plan):
            return
        call = CallPlan(
            plan.connection,
            credentials,
            fresh,
            plan.entity,
            plan.key,
            before=plan.before,
            change=plan.change,
            request_json=request_json,
            recorded=self.historyChanged.emit,
        )
        exchange = Exchange(
            request_text(plan, request_json),
            curl_command(plan.connection.base_url, body, plan.connection.username),
        )
        self.ui.response.show_sending(exchange)
        self.answerShown.emit()
        self.ui.connection_bar.set_busy("Sending the update…")
        self._task = self._runner.run(
            partial(jobs.run_update, self._services, call),
            partial(self._update_done, plan, body, request_json, exchange),
            partial(self._crashed, "update"),
        )
        self._render()

    def _update_done(
        self,
        plan: SendPlan,
        body: dict[str, object],
        request_json: str,
        exchange: Exchange,
        result: CallResult,
    ) -> None:
        from desktop_app.core.model import UpdateResult

        self._task = None
        self._notify_all(result.notices)
        value = result.value if isinstance(result.value, UpdateResult) else None
        verdict = self.state.update_answered(plan, value, result.problem)
        answer = self.state.answer
        note = answer.note if answer is not None else ""
        if result.problem is None and value is not None:
            exchange = replace(exchange, response_text=value.raw, http_status=value.http_status)
            self.ui.response.show_success(exchange, value, result.update_answer(), note)
            self.ui.connection_bar.set_idle("Update applied")
        elif result.problem is not None:
            problem = result.problem
            exchange = replace(exchange, response_text=problem.raw, http_status=problem.http_status)
            self.present_update_failure(exchange, problem, result.update_answer(), note)
        if verdict is Verdict.REJECTED:
            self._gate.obtain(
                plan.connection,
                partial(self._start_update, plan, body, request_json),
                partial(self._send_refused, plan),
                rejection=result.rejection,
                then=SENT_ON,
            )
        self._render(baseline_reset=verdict is Verdict.APPLIED and not note)

    def present_update_failure(
        self,
        exchange: Exchange,
        problem: ApiProblem,
        answer: PreparedAnswer,
        note: str = "",
    ) -> None:
        """Shows a failed update: banner, explained errors, and the fields concerned marked."""
        ui = self.ui
        ui.response.show_failure(exchange, problem, answer, note)
        ui.connection_bar.set_error(
            "Update outcome unknown" if problem.may_have_applied else "Update failed"
        )
        if not note and not problem.may_have_applied:
            fields = problem_fields(problem)
            ui.edit_form.highlight(fields)
            ui.lookup_form.highlight(fields)

    def stop_waiting(self) -> None:
        stopped = self.state.stop_waiting()
        if stopped is Phase.IDLE:
            return
        if self._task is not None:
            self._runner.forget(self._task)
            self._task = None
        if stopped is Phase.SENDING:
            self.ui.response.show_stopped()
        self.ui.connection_bar.set_idle(self.state.stopped)
        self._render()

    # -- shared -----------------------------------------------------------------------------
    def _notify_all(self, notices: tuple[str, ...]) -> None:
        if notices:
            self._say(" ".join(notices), 0)
            self.secretStoreChanged.emit()

    def _crashed(self, what: str, error: BaseException) -> None:
        """A bug, not an API answer: say so plainly instead of leaving the desk stuck."""
        log.error("the %s job failed unexpectedly", what, exc_info=error)
        self._task = None
        self.state.crashed(what, repr(error))
        if what == "update":
            self.ui.response.show_note(
                "error",
                "Unexpected error — the update may or may not have been sent",
                f"{error!r}. Look the redemption up again before retrying.",
            )
        self.ui.connection_bar.set_error(self.state.stopped)
        self._render()
