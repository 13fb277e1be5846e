"""A desk's lookups and updates through the real jobs, against the sandbox, for the team tests."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.model import Credentials, Entity, KeyKind, MetadataChange, RedemptionKey
from desktop_app.core.paths import AppPaths
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.core.update_request import build_update_body, dumps_body
from desktop_app.desk.jobs import (
    CallPlan,
    CallResult,
    FreshSecret,
    lookup_request_json,
    run_lookup,
    run_update,
)
from desktop_app.desk.session import Connection, DeskServices
from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME

ASHA = Entity("CUSTOMER", "mobile", "919800000001")


class Desk:
    """One agent's desk: its own data folder and OS user, connected to the sandbox's till."""

    def __init__(self, folder: Path, agent: str, base_url: str, team: TeamDatabase | None):
        self.services = DeskServices(AppPaths.under(folder))
        self.services.history().os_user = agent
        self.connection = Connection("Sandbox", base_url, DEMO_USERNAME)
        self._fresh: FreshSecret | None = FreshSecret(DEMO_PASSWORD_MD5, remember=True)
        if team is not None:
            self.services.use_team(team)

    def _plan(self, key: RedemptionKey, **extra) -> CallPlan:
        fresh, self._fresh = self._fresh, None  # typed once, then from the keyring
        return CallPlan(
            connection=self.connection,
            credentials=Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5),
            fresh=fresh,
            entity=ASHA,
            key=key,
            **extra,
        )

    def look_up(self, identifier: str, key_kind: KeyKind = KeyKind.REDEMPTION_ID) -> CallResult:
        key = RedemptionKey(key_kind, identifier)
        plan = self._plan(key, request_json=lookup_request_json(ASHA, key))
        return run_lookup(self.services, plan)

    def update(self, redemption_id: str, before: dict, change: MetadataChange) -> CallResult:
        key = RedemptionKey(KeyKind.REDEMPTION_ID, redemption_id)
        plan = self._plan(
            key,
            before=before,
            change=change,
            request_json=dumps_body(build_update_body(ASHA, key, change)),
        )
        return run_update(self.services, plan)

    def wait_until_delivered(self) -> bool:
        return self.services.team().worker.wait_until_delivered(90)

    def close(self) -> None:
        self.services.close()
