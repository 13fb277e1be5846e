"""What a desk learns from the team: another agent's recent change, before editing."""

from __future__ import annotations

from datetime import datetime

from desktop_app.core.history import redemption_values
from desktop_app.core.model import KeyKind, MetadataChange
from tests.team.desk_calls import Desk


def test_the_second_desk_is_told_about_the_first_desks_update(team_database, sandbox, tmp_path):
    first = Desk(tmp_path / "a", "priya.k", sandbox.base_url, team_database)
    second = Desk(tmp_path / "b", "arjun.m", sandbox.base_url, team_database)
    try:
        looked_up = first.look_up("NZVAt9")
        assert looked_up.problem is None and looked_up.team_changes == ()
        started = datetime.now().astimezone().strftime("%H:%M")
        updated = first.update(
            "NZVAt9", redemption_values(looked_up.value), MetadataChange(bill_number="bill-new-78")
        )
        assert updated.problem is None
        assert first.wait_until_delivered()

        seen = second.look_up("NZVAt9")
        ended = datetime.now().astimezone().strftime("%H:%M")
        assert len(seen.team_changes) == 1
        assert seen.team_changes[0] in {
            f"Changed by priya.k at {at} — bill number: bill-old-77 → bill-new-78"
            for at in (started, ended)  # the update's minute, whichever side of a minute it fell
        }
        by_reference = second.look_up("EXT-1001", key_kind=KeyKind.EXTERNAL_REFERENCE)
        assert by_reference.team_changes == seen.team_changes  # the same redemption
        assert second.look_up("nzvat9").team_changes == ()  # IDs are case-sensitive
        assert first.look_up("NZVAt9").team_changes == ()  # one's own change is no news
    finally:
        first.close()
        second.close()


def test_without_a_team_database_a_lookup_has_no_team_news(sandbox, tmp_path):
    desk = Desk(tmp_path / "a", "priya.k", sandbox.base_url, None)
    try:
        assert desk.look_up("NZVAt9").team_changes == ()
    finally:
        desk.close()
