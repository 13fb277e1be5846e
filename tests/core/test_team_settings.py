"""A profile's team database: fields or a postgresql:// URI, never a password, TLS by default."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from desktop_app.core.team.passwords import TeamPasswords
from desktop_app.core.team.settings import TeamDatabase, parse_team_uri


def test_a_uri_becomes_the_fields():
    team = parse_team_uri("postgresql://priya.k@DB.Example.com:6432/desk_team?sslmode=verify-ca")
    assert team == TeamDatabase("db.example.com", "desk_team", "priya.k", 6432, "verify-ca")


@pytest.mark.parametrize(
    "uri",
    [
        "postgresql://priya.k:hunter2@db.example.com/desk_team",
        "postgresql://priya.k@db.example.com/desk_team?password=hunter2",
    ],
)
def test_a_uri_with_a_password_is_refused(uri):
    with pytest.raises(ValueError, match="password"):
        parse_team_uri(uri)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("https://db.example.com/x", "postgresql://"),
        ("postgresql://priya.k@db.example.com/", "database name"),
        ("postgresql://db.example.com/desk", "user name"),
        ("postgresql://u@db.example.com:99999/desk", "valid"),
        ("postgresql://u@db.example.com/desk?sslmode=maybe", "TLS mode"),
    ],
)
def test_a_bad_uri_says_what_is_wrong(uri, message):
    with pytest.raises(ValueError, match=message):
        parse_team_uri(uri)


def test_tls_is_verified_by_default_except_on_this_computer():
    remote = TeamDatabase("db.example.com", "desk_team", "priya.k")
    assert remote.effective_sslmode == "verify-full"
    assert "sslmode=verify-full" in remote.conninfo()
    assert TeamDatabase("127.0.0.1", "t", "u").effective_sslmode == "prefer"
    assert (
        TeamDatabase("db.example.com", "t", "u", sslmode="require").effective_sslmode == "require"
    )


def test_the_team_database_is_saved_with_the_profile_and_its_password_is_not(
    tmp_path, memory_keyring
):
    team = TeamDatabase("db.example.com", "desk_team", "priya.k")
    store = ProfileStore(tmp_path / "profiles.json")
    profile = Profile("Europe", "https://eu.api.capillarytech.com", "store.server", team)
    assert store.save(ProfilesState((profile,), "Europe")) is None
    assert TeamPasswords().save(team, "s3cret-team-pass") is None
    text = (tmp_path / "profiles.json").read_text()
    assert "s3cret-team-pass" not in text
    assert json.loads(text)["profiles"][0]["team"]["host"] == "db.example.com"
    assert store.load().profiles == (profile,)
    assert TeamPasswords().load(team) == ("s3cret-team-pass", None)
    assert memory_keyring.entries == {
        ("redemption-desk", "postgresql|priya.k@db.example.com:5432/desk_team"): "s3cret-team-pass"
    }


def test_a_broken_team_section_is_set_aside_like_any_broken_file(tmp_path):
    path = tmp_path / "profiles.json"
    bad = {"name": "E", "base_url": "https://e.example.com", "username": "u", "team": {"port": "x"}}
    path.write_text(json.dumps({"profiles": [bad]}))
    state = ProfileStore(path).load()
    assert state.profiles == () and "moved to" in state.notice
