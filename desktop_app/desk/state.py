"""The desk's state machine: what the agent may do now, and what an answer means for the form.

One `DeskState` holds the connection, what the form names, the values a lookup found, the phase
of the request in flight and the answer on show. Each event is one method. Every change of the
form or of the connection bumps `token`; a request carries the token it started from, and its
answer changes the form only while that token is still current, so a late answer can never be
applied to a form or a host it does not answer. Nothing here touches Qt: `ui.desk_flows`
renders this state into widgets and runs the requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from desktop_app.core import validation
from desktop_app.core.model import (
    ApiProblem,
    Entity,
    KeyKind,
    MetadataChange,
    ProblemKind,
    Redemption,
    RedemptionKey,
    UpdateResult,
)
from desktop_app.desk.outcomes import (
    Baseline,
    baseline_of,
    lookup_failure_text,
    no_lookup_reason,
    redemption_after_update,
)
from desktop_app.desk.session import Connection

NO_CONNECTION = "Choose a connection profile first (File → Profiles…)."
OUTCOME_UNKNOWN_LOCK = (
    "The last update's outcome is unknown. Look the redemption up again before sending."
)
STALE_NOTE = (
    "The form changed while this request was on its way (or the connection did), so its values "
    "were not put into the form; look the redemption up again."
)
_FIELD_WORDS = (("billId", "bill ID"), ("billNumber", "bill number"), ("purpose", "purpose"))


class Phase(Enum):
    IDLE = "idle"
    WAITING_FOR_SANDBOX = "a lookup waits for the demo sandbox"
    LOOKUP_CREDENTIALS = "a lookup waits for credentials"
    LOOKING_UP = "a lookup waits for its answer"
    CONFIRMING = "the agent reviews an update"
    SEND_CREDENTIALS = "an update waits for credentials"
    SENDING = "an update waits for its answer"


LOOKUP_PHASES = frozenset({Phase.WAITING_FOR_SANDBOX, Phase.LOOKUP_CREDENTIALS, Phase.LOOKING_UP})
SEND_PHASES = frozenset({Phase.SEND_CREDENTIALS, Phase.SENDING})


class FormMode(Enum):
    KNOWN = "the current values are known"
    UNKNOWN = "no lookup exists for this customer identifier"
    NEEDS_LOOKUP = "look the redemption up first"


class Verdict(Enum):
    """What an answer did to the desk."""

    DISCARDED = "answered a request the desk has moved on from"
    NOT_APPLIED = "the form changed while it was on its way"
    FOUND = "found"
    FAILED = "failed"
    REJECTED = "the till rejected the credentials"
    APPLIED = "update applied"
    OUTCOME_UNKNOWN = "the update may or may not have been applied"


@dataclass(frozen=True)
class Corrections:
    """The correction fields as the agent left them."""

    change: MetadataChange | None = None  # None while a field has a problem
    problem: str | None = None  # the first field's problem, in words
    changed: bool = False  # a field differs from the current values


@dataclass(frozen=True)
class LookupContext:
    """The redemption the form's current values came from, and which entity and key found it."""

    entity: Entity
    key: RedemptionKey
    redemption: Redemption
    source: str


@dataclass(frozen=True)
class Request:
    """A lookup as it started: the token, connection and form it answers."""

    token: int
    connection: Connection
    entity: Entity
    key: RedemptionKey


@dataclass(frozen=True)
class SendPlan:
    """An update as the agent reviews it; exactly this is sent once confirmed."""

    token: int
    connection: Connection
    entity: Entity
    key: RedemptionKey
    change: MetadataChange
    before: dict[str, object] | None


@dataclass(frozen=True)
class Answer:
    """What the answer panel shows, and which redemption it answers."""

    subject: str
    at: str
    headline: str
    earlier: bool = False
    note: str = ""  # e.g. why the answer was not put into the form

    @property
    def title(self) -> str:
        title = f"{self.subject} · {self.at} — {self.headline}"
        return f"Earlier answer: {title}" if self.earlier else title


@dataclass(frozen=True)
class Applied:
    """The last update applied to the redemption on show, for the words beside Send."""

    at: str
    change: MetadataChange

    def describe(self) -> str:
        values = self.change.to_json()
        parts = [
            f"{word} {values[name] if values[name] not in (None, '') else '(empty)'}"
            for name, word in _FIELD_WORDS
            if name in values
        ]
        return f"Update applied at {self.at} ({', '.join(parts)})."


@dataclass(frozen=True)
class Refusal:
    """Why an action did not start, in words for the agent."""

    reason: str
    show_form_problems: bool = False


def subject_of(entity: Entity, key: RedemptionKey) -> str:
    return f"{key.value} · {entity.identifier_type} {entity.identifier_value}"


def values_of(redemption: Redemption) -> dict[str, object]:
    return {
        "billId": redemption.bill_id,
        "billNumber": redemption.bill_number,
        "purpose": redemption.purpose,
    }


class DeskState:
    def __init__(self, now: Callable[[], datetime] = datetime.now):
        self._now = now
        self.connection: Connection | None = None
        self.entity = Entity("CUSTOMER", "mobile", "")
        self.key = RedemptionKey(KeyKind.REDEMPTION_ID, "")
        self.corrections = Corrections()
        self.token = 0
        self.phase = Phase.IDLE
        self.context: LookupContext | None = None
        self.lookup: Request | None = None  # the lookup in flight or waiting for credentials
        self.answer: Answer | None = None
        self.applied: Applied | None = None
        self.locked = ""  # why Send stays locked until a fresh lookup (outcome unknown)
        self.failure = ""  # why the last lookup found nothing; shown until the form changes
        self.stopped = ""  # why the last action stopped, for the connection bar
        self.reopened: tuple[Entity, RedemptionKey, dict[str, str]] | None = None
        self._rejected = ""  # the till's rejection the credentials dialog is asking again after

    # -- derived ----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A lookup or an update waits for the sandbox, credentials or its answer."""
        return self.phase in LOOKUP_PHASES or self.phase in SEND_PHASES

    @property
    def looking_up(self) -> bool:
        return self.phase in LOOKUP_PHASES

    @property
    def mode(self) -> FormMode:
        context = self.context
        if context is not None and (context.entity, context.key) == (self.entity, self.key):
            return FormMode.KNOWN
        if not self.entity.can_be_looked_up:
            return FormMode.UNKNOWN
        return FormMode.NEEDS_LOOKUP

    def baseline(self) -> Baseline | None:
        """The current values the correction fields start from; None while they are unknown."""
        if self.mode is FormMode.KNOWN and self.context is not None:
            return baseline_of(self.context.redemption)
        return None

    def form_problem(self) -> str | None:
        return validation.entity_value_problem(
            self.entity.identifier_type, self.entity.identifier_value
        ) or validation.redemption_key_problem(self.key.value)

    def send_blocker(self) -> str | None:
        """Why Send is disabled right now, in words for the tooltip; None when it may be used."""
        connection = self.connection
        if connection is None:
            return NO_CONNECTION
        if connection.starting:
            return "The demo sandbox is starting: wait a moment."
        if self.phase in SEND_PHASES:
            return "An update is on its way: wait for its answer, or stop waiting."
        if self.looking_up:
            return "Wait for the lookup to finish."
        problem = self.form_problem()
        if problem:
            return problem
        mode = self.mode
        if self.locked and mode is not FormMode.KNOWN:
            return self.locked
        if mode is FormMode.NEEDS_LOOKUP:
            if self.context is not None:
                return "The customer or identifier changed since the lookup: look it up again."
            return "Look the redemption up first, so its current values are known."
        if self.corrections.problem:
            return self.corrections.problem
        if not self.corrections.changed:
            if mode is FormMode.UNKNOWN:
                return "Fill in the bill ID, bill number or purpose to send."
            if self.applied is not None:
                return f"{self.applied.describe()} Correct a field again to send another update."
            return "Nothing changed yet: correct the bill ID, bill number or purpose."
        return None

    # -- the form and the connection --------------------------------------------------------
    def form_changed(self, entity: Entity, key: RedemptionKey, corrections: Corrections) -> None:
        if (entity, key) != (self.entity, self.key):
            self.failure = ""
        self.entity, self.key, self.corrections = entity, key, corrections
        self.token += 1

    def connection_changed(self, connection: Connection | None) -> bool:
        """A new host or till: what was found on the old one no longer counts, and an answer
        still on its way from it is dropped. True when a lookup waited for this connection
        (the demo sandbox came up) and should start now."""
        resume = self.phase is Phase.WAITING_FOR_SANDBOX and not (
            connection is not None and connection.starting
        )
        self.connection = connection
        self.token += 1
        self.context = None
        self.applied = None
        self.locked = ""
        self.lookup = None
        self._rejected = ""
        if self.answer is not None:
            self.answer = _earlier(self.answer)
        if self.phase is not Phase.WAITING_FOR_SANDBOX or resume:
            self.phase = Phase.IDLE
        return resume

    # -- lookup -----------------------------------------------------------------------------
    def lookup_requested(self) -> Request | Refusal | None:
        """The lookup to run (ask for credentials next), why not, or None when one is already
        on its way (or the demo sandbox is starting: it runs once the connection changes)."""
        if self.busy or self.phase is Phase.CONFIRMING:
            return None
        connection = self.connection
        if connection is None:
            return Refusal(NO_CONNECTION)
        if connection.starting:
            self.phase = Phase.WAITING_FOR_SANDBOX
            return None
        if not self.entity.can_be_looked_up:
            return Refusal(no_lookup_reason(self.entity))
        problem = self.form_problem()
        if problem:
            return Refusal(problem, show_form_problems=True)
        self.phase = Phase.LOOKUP_CREDENTIALS
        self.stopped = self.failure = ""
        if self.answer is not None:
            self.answer = _earlier(self.answer)
        self.lookup = Request(self.token, connection, self.entity, self.key)
        return self.lookup

    def lookup_credentials_given(self, request: Request) -> bool:
        """True when the lookup should now be sent; False when the desk moved on meanwhile."""
        if request is not self.lookup or self.phase is not Phase.LOOKUP_CREDENTIALS:
            return False
        self.phase = Phase.LOOKING_UP
        return True

    def lookup_credentials_refused(self, request: Request, message: str) -> None:
        if request is not self.lookup:
            return
        self.stopped = f"Lookup stopped: {self._why_stopped(request.connection, message)}"
        self.failure = self.stopped
        self.lookup = None
        self.phase = Phase.IDLE

    def lookup_answered(
        self, request: Request, value: Redemption | None, problem: ApiProblem | None
    ) -> Verdict:
        if request is not self.lookup or self.phase is not Phase.LOOKING_UP:
            return Verdict.DISCARDED
        if problem is not None and problem.kind is ProblemKind.AUTH:
            self.phase = Phase.LOOKUP_CREDENTIALS
            self._rejected = problem.message
            return Verdict.REJECTED
        self.lookup = None
        self.phase = Phase.IDLE
        self._rejected = ""
        reopened, self.reopened = self.reopened, None
        if problem is not None:
            self.context = None  # the fields must not keep another redemption's values
            self.applied = None
            self.failure = lookup_failure_text(problem)
            self.stopped = f"Lookup failed: {problem.kind}"
            return Verdict.FAILED
        if request.token != self.token:
            self.stopped = "Lookup result not applied"
            return Verdict.NOT_APPLIED
        assert value is not None
        self.context = LookupContext(
            request.entity, request.key, value, f"looked up at {self._clock()}"
        )
        self.applied = None
        self.locked = ""
        self.token += 1
        self.stopped = f"Found {request.key.value}"
        if reopened is not None and reopened[:2] == (request.entity, request.key):
            self.reopened = reopened  # for the adapter to type over the values just found
        return Verdict.FOUND

    def take_reopened_texts(self) -> dict[str, str] | None:
        reopened, self.reopened = self.reopened, None
        return None if reopened is None else reopened[2]

    def stop_waiting(self) -> Phase:
        """Stops waiting for the answer in flight; returns the phase that was stopped."""
        stopped = self.phase
        if stopped is Phase.SENDING:
            self._lock_as_unknown()
            self.stopped = "Stopped waiting — the update may still be applied"
            if self.answer is not None:
                self.answer = Answer(
                    self.answer.subject, self._clock(), "Stopped waiting — may still be applied"
                )
        elif stopped is Phase.LOOKING_UP:
            self.lookup = None
            self.stopped = "Stopped waiting for the lookup"
        else:
            return Phase.IDLE
        self.phase = Phase.IDLE
        return stopped

    def reopen(self, entity: Entity, key: RedemptionKey, texts: dict[str, str]) -> None:
        """History's Reopen: the request goes back into the form (the adapter fills it and, when
        a lookup exists, starts one; the texts are typed over what it finds)."""
        if self.answer is not None:
            self.answer = _earlier(self.answer)
        self.reopened = (entity, key, texts) if entity.can_be_looked_up else None

    # -- send -------------------------------------------------------------------------------
    def send_requested(self) -> SendPlan | Refusal | None:
        """The update to review in the confirmation, or why not (None: already reviewing)."""
        if self.phase is Phase.CONFIRMING:
            return None
        reason = self.send_blocker()
        if reason is not None:
            return Refusal(f"Not sent: {reason}", show_form_problems=True)
        assert self.connection is not None and self.corrections.change is not None
        known = self.mode is FormMode.KNOWN and self.context is not None
        before = values_of(self.context.redemption) if known and self.context else None
        self.phase = Phase.CONFIRMING
        return SendPlan(
            self.token, self.connection, self.entity, self.key, self.corrections.change, before
        )

    def review_closed(self) -> None:
        if self.phase is Phase.CONFIRMING:
            self.phase = Phase.IDLE

    def send_confirmed(self, plan: SendPlan) -> Refusal | None:
        """The agent confirmed `plan`: None when it goes ahead (credentials next)."""
        if self.phase in SEND_PHASES:
            return Refusal("An update is already on its way.")
        if plan.token != self.token:
            self.phase = Phase.IDLE
            return Refusal(
                "Not sent: the form or the connection changed while the confirmation was open. "
                "Review the update again."
            )
        self.phase = Phase.SEND_CREDENTIALS
        return None

    def send_credentials_given(self, plan: SendPlan) -> bool:
        if self.phase is not Phase.SEND_CREDENTIALS:
            return False
        self.phase = Phase.SENDING
        self.answer = Answer(subject_of(plan.entity, plan.key), self._clock(), "Sending…")
        return True

    def send_credentials_refused(self, plan: SendPlan, message: str) -> None:
        self.phase = Phase.IDLE
        self.stopped = f"Update not sent: {self._why_stopped(plan.connection, message)}"

    def update_answered(
        self, plan: SendPlan, value: UpdateResult | None, problem: ApiProblem | None
    ) -> Verdict:
        """Titles the answer with what it answers, always: the update was sent. It changes the
        form only while the form and the connection are still those the agent confirmed."""
        waited = self.phase is Phase.SENDING
        current = waited and plan.token == self.token
        if waited:
            self.phase = Phase.IDLE
        subject, at = subject_of(plan.entity, plan.key), self._clock()
        note = "" if current else STALE_NOTE
        if problem is not None and problem.kind is ProblemKind.AUTH:
            self.answer = Answer(subject, at, "Not sent: the till rejected the password", note=note)
            if not waited:
                return Verdict.FAILED
            self.phase = Phase.SEND_CREDENTIALS
            self._rejected = problem.message
            return Verdict.REJECTED
        if problem is not None:
            if problem.may_have_applied:
                self._lock_as_unknown()
                self.answer = Answer(subject, at, "Outcome unknown", note=note)
                self.stopped = "Update outcome unknown"
                return Verdict.OUTCOME_UNKNOWN
            self.answer = Answer(subject, at, "Update failed", note=note)
            self.stopped = "Update failed"
            return Verdict.FAILED
        assert value is not None
        headline = "Update applied"
        if value.warnings:
            count = len(value.warnings)
            headline += f", with {count} warning{'s' if count > 1 else ''}"
        self.answer = Answer(subject, at, headline, note=note)
        self.stopped = "Update applied"
        if current:
            context = self.context if self.mode is FormMode.KNOWN else None
            previous = context.redemption if context is not None else None
            fallback = plan.key.value if plan.key.kind is KeyKind.REDEMPTION_ID else ""
            redemption = redemption_after_update(previous, value, plan.change, fallback)
            self.context = LookupContext(
                plan.entity, plan.key, redemption, f"after the update at {at}"
            )
            self.applied = Applied(at, plan.change)
            self.token += 1
        return Verdict.APPLIED

    def crashed(self, what: str, error: str) -> None:
        """A bug, not an answer: the desk must not stay stuck waiting."""
        if what == "update":
            self._lock_as_unknown()
        else:
            self.lookup = None
            self.failure = f"The lookup failed unexpectedly: {error}"
        self.phase = Phase.IDLE
        self.stopped = f"{what.capitalize()} failed unexpectedly"

    # -- internals --------------------------------------------------------------------------
    def _lock_as_unknown(self) -> None:
        """The update may have been applied: what the form shows may be wrong, and Send waits
        for a fresh lookup (where none exists, the agent decides from the history)."""
        if self.entity.can_be_looked_up:
            self.context = None
            self.applied = None
            self.locked = OUTCOME_UNKNOWN_LOCK

    def _why_stopped(self, connection: Connection, message: str) -> str:
        """The till's rejection, when the agent cancelled the prompt that followed it."""
        rejected, self._rejected = self._rejected, ""
        if rejected:
            return f"the till rejected the password for {connection.username} on {connection.host}"
        return message

    def _clock(self) -> str:
        return f"{self._now():%H:%M:%S}"


def _earlier(answer: Answer) -> Answer:
    return replace(answer, earlier=True)
