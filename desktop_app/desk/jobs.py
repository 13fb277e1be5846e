"""The blocking work behind a lookup or an update, run on a TaskRunner thread, never on the UI's.

Each call is recorded in the history *before* the request leaves (pending) and completed after,
in the same job. The credential policy hears about the outcome here too (saved once accepted,
dropped after a 401), so the UI only has to show what comes back in a `CallResult`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from desktop_app.core.model import (
    ApiFailure,
    ApiProblem,
    Credentials,
    Entity,
    MetadataChange,
    ProblemKind,
    Redemption,
    RedemptionKey,
    UpdateResult,
)
from desktop_app.desk.answer_view import PreparedAnswer, prepare_failure, prepare_success
from desktop_app.desk.session import Connection, DeskServices

if TYPE_CHECKING:
    from desktop_app.core.client import CapillaryClient
    from desktop_app.core.credentials import CredentialSession, LoadedSecret, Rejection
    from desktop_app.core.history import BatchTag, HistoryStore

Value = TypeVar("Value", Redemption, UpdateResult)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FreshSecret:
    """A digest the agent just typed, and whether to remember it once the till accepts it."""

    digest: str
    remember: bool


@dataclass(frozen=True)
class CallResult:
    value: Redemption | UpdateResult | None
    problem: ApiProblem | None
    rejection: Rejection | None = None  # after a 401
    notices: tuple[str, ...] = ()
    duration_ms: float = 0.0
    verdict: str = ""  # Verify by lookup: what the history concluded, in words for the agent
    # After a lookup: updates another agent made to this redemption in the last 24 hours.
    team_changes: tuple[str, ...] = ()
    entry_id: int | None = None  # the history entry of this call, when it was recorded
    # After an update: what the response panel shows, prepared here rather than on the UI thread.
    answer: PreparedAnswer | None = None

    def update_answer(self) -> PreparedAnswer:
        """The prepared answer of an update that was answered or failed (run_update sets it)."""
        if self.answer is None:
            raise ValueError("this result carries no prepared update answer")
        return self.answer


@dataclass(frozen=True)
class CallPlan:
    """Everything a job needs, captured on the UI thread before it starts."""

    connection: Connection
    credentials: Credentials
    fresh: FreshSecret | None
    entity: Entity
    key: RedemptionKey
    before: dict[str, object] | None = None
    change: MetadataChange | None = None  # None for a lookup
    request_json: str = ""
    # Called on the worker after each history write (e.g. a queued signal to refresh History).
    recorded: Callable[[], None] | None = None
    batch: BatchTag | None = None  # the batch file and row this call belongs to, if any

    @classmethod
    def for_lookup(
        cls,
        connection: Connection,
        credentials: Credentials,
        fresh: FreshSecret | None,
        entity: Entity,
        key: RedemptionKey,
        recorded: Callable[[], None] | None = None,
    ) -> CallPlan:
        request_json = lookup_request_json(entity, key)
        return cls(connection, credentials, fresh, entity, key, None, None, request_json, recorded)


def fetch_secret(services: DeskServices, connection: Connection) -> LoadedSecret:
    """The stored digest for this till (LoadedSecret), or why the keyring could not give it."""
    return services.credentials().fetch(connection.host, connection.username)


def location_label(services: DeskServices) -> str:
    return services.credentials().store.location_label()


def forget_secret(services: DeskServices, connection: Connection) -> str | None:
    return services.credentials().store.forget(connection.host, connection.username)


def lookup_request_json(entity: Entity, key: RedemptionKey) -> str:
    return json.dumps({"entity": entity.to_json(), **key.to_json()}, ensure_ascii=False)


def run_lookup(services: DeskServices, plan: CallPlan) -> CallResult:
    client = _client(plan)
    return _recorded(services, plan, lambda: client.find_redemption(plan.entity, plan.key))


def run_update(services: DeskServices, plan: CallPlan) -> CallResult:
    change = plan.change
    assert change is not None
    client = _client(plan)
    result = _recorded(
        services, plan, lambda: client.update_redemption(plan.entity, plan.key, change)
    )
    if isinstance(result.value, UpdateResult):
        return replace(result, answer=prepare_success(result.value))
    if result.problem is not None:
        return replace(result, answer=prepare_failure(result.problem))
    return result


def _client(plan: CallPlan) -> CapillaryClient:
    from desktop_app.core.client import CapillaryClient

    source = f"the profile “{plan.connection.profile_name}”"
    return CapillaryClient(plan.connection.base_url, plan.credentials, source=source)


def run_verification(services: DeskServices, plan: CallPlan, entry_id: int) -> CallResult:
    """History's "Verify by lookup" of an update whose outcome is unknown: looks the redemption
    up and records what the server holds as a lookup linked to the update, which the history
    then marks "succeeded (verified)" when it holds every value the update meant to set."""
    client = _client(plan)
    notices: list[str] = []
    value, problem, duration_ms, policy = _call(
        services, plan, lambda: client.find_redemption(plan.entity, plan.key)
    )
    verdict = _record_verification(services, entry_id, plan, value, problem, duration_ms, notices)
    services.entry_finished()
    _announce(plan)
    rejection = _settle_credentials(policy, plan, problem, notices)
    return CallResult(value, problem, rejection, tuple(notices), duration_ms, verdict)


def _recorded(services: DeskServices, plan: CallPlan, call: Callable[[], Value]) -> CallResult:
    notices: list[str] = []
    is_update = plan.change is not None
    history, entry_id = _add_pending(services, plan, notices)
    if is_update and entry_id is None:
        return CallResult(
            None,
            ApiProblem(
                ProblemKind.UNKNOWN,
                "The update was not sent: it could not be put on record first. "
                + " ".join(notices),
            ),
            notices=tuple(notices),
        )
    _announce(plan)
    value, problem, duration_ms, policy = _call(services, plan, call)
    if history is not None and entry_id is not None:
        _complete(history, entry_id, value, problem, duration_ms, notices)
        services.entry_finished()
        _announce(plan)
    rejection = _settle_credentials(policy, plan, problem, notices)
    changes = (
        _team_changes(services, plan.connection, value) if isinstance(value, Redemption) else ()
    )
    return CallResult(
        value,
        problem,
        rejection,
        tuple(notices),
        duration_ms,
        team_changes=changes,
        entry_id=entry_id,
    )


def _team_changes(
    services: DeskServices, connection: Connection, redemption: Redemption
) -> tuple[str, ...]:
    """What other agents changed on this redemption lately; () without a reachable team DB."""
    link = services.team()
    if link is None:
        return ()
    from desktop_app.desk.team_link import change_notice

    try:
        changes = link.changes_by_others(connection.host, redemption)
    except Exception as error:  # the lookup itself succeeded; the team check is a bonus
        log.info("the team database could not be asked about recent changes: %s", error)
        return ()
    return tuple(change_notice(change) for change in changes)


def _call(
    services: DeskServices, plan: CallPlan, call: Callable[[], Value]
) -> tuple[Value | None, ApiProblem | None, float, CredentialSession | None]:
    """Makes the call with the plan's credentials: (value, problem, duration_ms, policy)."""
    policy = None if plan.connection.is_demo else services.credentials()
    if policy is not None and plan.fresh is not None:
        policy.pending(
            plan.connection.host, plan.connection.username, plan.fresh.digest, plan.fresh.remember
        )
    started = time.perf_counter()
    value: Value | None = None
    problem: ApiProblem | None = None
    try:
        value = call()
    except ApiFailure as failure:
        problem = failure.problem
    return value, problem, (time.perf_counter() - started) * 1000, policy


def _settle_credentials(
    policy: CredentialSession | None, plan: CallPlan, problem: ApiProblem | None, notices: list[str]
) -> Rejection | None:
    """Tells the credential policy how the till answered; the Rejection after a 401, else None."""
    if policy is None:
        return None
    if problem is None:
        _note(notices, policy.accepted(plan.connection.host, plan.connection.username))
    elif problem.kind is ProblemKind.AUTH:
        return policy.rejected(plan.connection.host, plan.connection.username)
    return None


def _announce(plan: CallPlan) -> None:
    if plan.recorded is None:
        return
    try:
        plan.recorded()
    except RuntimeError:  # the window went away meanwhile; the record itself is on disk
        log.warning("could not announce a history change", exc_info=True)


def _note(notices: list[str], message: str | None) -> None:
    if message:
        notices.append(message)


def _add_pending(
    services: DeskServices, plan: CallPlan, notices: list[str]
) -> tuple[HistoryStore | None, int | None]:
    from desktop_app.core import history as history_module

    try:
        history = services.history()  # its notice is shown once, by the window's warm-up
    except Exception as error:  # a broken disk must not take the desk down; it is reported
        log.exception("history could not be opened")
        notices.append(f"The history could not be opened ({error}).")
        return None, None
    kind = history_module.EntryKind.UPDATE if plan.change else history_module.EntryKind.LOOKUP
    entry = history_module.NewEntry(
        kind=kind,
        profile=plan.connection.profile_name,
        host=plan.connection.host,
        username=plan.connection.username,
        entity=plan.entity,
        key=plan.key,
        before=plan.before,
        after=plan.change.to_json() if plan.change else None,
        request_json=plan.request_json,
        batch=plan.batch,
    )
    try:
        return history, history.add_pending(entry)
    except Exception as error:  # reported, and an update is then refused
        log.exception("history entry could not be written")
        notices.append(f"The history entry could not be written ({error}).")
        return history, None


def _complete(
    history: HistoryStore,
    entry_id: int,
    value: Redemption | UpdateResult | None,
    problem: ApiProblem | None,
    duration_ms: float,
    notices: list[str],
) -> None:
    from desktop_app.core.history import call_failed, lookup_succeeded, update_succeeded

    if isinstance(value, UpdateResult):
        completion = update_succeeded(value, duration_ms)
    elif isinstance(value, Redemption):
        completion = lookup_succeeded(value, duration_ms)
    else:
        assert problem is not None  # a call gives a value or a problem
        completion = call_failed(problem, duration_ms)
    try:
        history.complete(entry_id, completion)
    except Exception as error:  # the request happened; say that its record is incomplete
        log.exception("history entry %s could not be completed", entry_id)
        notices.append(f"The outcome could not be written to the history ({error}).")


def _record_verification(
    services: DeskServices,
    entry_id: int,
    plan: CallPlan,
    found: Redemption | None,
    problem: ApiProblem | None,
    duration_ms: float,
    notices: list[str],
) -> str:
    """Records the verifying lookup; returns the history's conclusion ("" if not recorded)."""
    from desktop_app.core.history import redemption_values

    try:
        history = services.history()
        if found is not None:
            lookup_id = history.record_verification(
                entry_id,
                redemption_values(found),
                request_json=plan.request_json,
                http_status=200,
                duration_ms=duration_ms,
            )
        else:
            assert problem is not None  # a call gives a value or a problem
            lookup_id = history.record_verification(
                entry_id,
                None,
                problem.message,
                request_json=plan.request_json,
                http_status=problem.http_status,
                response_json=problem.raw,
                duration_ms=duration_ms,
            )
        recorded = history.get(lookup_id)
    except Exception as error:  # the lookup happened; say that its record is missing
        log.exception("the verification of history entry %s could not be recorded", entry_id)
        notices.append(f"The verification could not be written to the history ({error}).")
        return ""
    return recorded.message if recorded is not None else ""
