"""Issue 11 as an agent meets it in the window: hostile files, replies and key presses never
skip a safeguard, never crash the desk and never show a server's text as markup."""

from __future__ import annotations

from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from desktop_app.sandbox import DEMO_USERNAME
from tests.ui.driver import PASSWORD

ASHA_MOBILE = "919800000001"


def test_a_hand_edited_plain_http_profile_is_refused_when_used_naming_it(open_desk, tmp_path):
    # Issue 11 item 2: the profile dialog refuses http://, a hand-edited profiles.json did not.
    profile = Profile("EU hand-edited", "http://eu.api.capillarytech.com", DEMO_USERNAME)
    assert ProfileStore(tmp_path / "profiles.json").save(ProfilesState((profile,))) is None
    desk = open_desk(connect=False)

    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)

    shown = desk.label("summaryMessage")
    assert "The profile “EU hand-edited” uses http://" in shown, shown
    assert "nothing was sent" in shown
