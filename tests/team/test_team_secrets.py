"""After a full session, no team row holds a password, a digest or a Basic token."""

from __future__ import annotations

import base64

from desktop_app.core.history import redemption_values
from desktop_app.core.model import MetadataChange
from desktop_app.core.team.passwords import TeamPasswords
from desktop_app.sandbox import DEMO_PASSWORD, DEMO_PASSWORD_MD5, DEMO_USERNAME
from tests.team.conftest import admin
from tests.team.desk_calls import Desk

TEAM_PASSWORD = "team-db-s3cret-Passw0rd"


def test_no_secret_in_any_team_row_after_a_full_session(
    pg_cluster, team_database, sandbox, tmp_path
):
    assert TeamPasswords().save(team_database, TEAM_PASSWORD) is None
    desk = Desk(tmp_path / "desk", "priya.k", sandbox.base_url, team_database)
    try:
        found = desk.look_up("NZVAt9")
        desk.update("NZVAt9", redemption_values(found.value), MetadataChange(purpose="refund"))
        desk.update("WaRn01", {"billId": 301}, MetadataChange(bill_id=401))  # warnings
        desk.update("FaiL50", {"billId": 303}, MetadataChange(bill_number="x-1"))  # error 750
        sandbox.set_fault("xml_401", endpoint="lookup", times=1)
        desk.look_up("sTDVyi")  # 401 with an XML body
        sandbox.set_fault("drop_connection", endpoint="update", times=1)
        desk.update("sTDVyi", {"billNumber": ""}, MetadataChange(bill_number="b-9"))  # unknown
        desk.look_up("missing")  # 750-style not found
        assert desk.wait_until_delivered()
        local_count = desk.services.history().undelivered_count()
    finally:
        desk.close()
    assert local_count == 0
    with admin(pg_cluster, team_database.database) as connection:
        rows = [r[0] for r in connection.execute("SELECT row_to_json(t)::text FROM team_entries t")]
    assert len(rows) >= 7
    token = base64.b64encode(f"{DEMO_USERNAME}:{DEMO_PASSWORD_MD5}".encode()).decode()
    for secret in (DEMO_PASSWORD_MD5, DEMO_PASSWORD, token, TEAM_PASSWORD):
        assert [row for row in rows if secret in row] == []
    assert [row for row in rows if "authorization" in row.lower()] == []
    assert all("priya.k" in row and DEMO_USERNAME in row for row in rows)  # who, and which till
