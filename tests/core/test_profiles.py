"""Profiles survive a restart, a broken file loses nothing, and the dialog's checks say why."""

import json
import os

import pytest

from desktop_app.core.paths import AppPaths
from desktop_app.core.profiles import (
    CLUSTER_PRESETS,
    Profile,
    ProfilesState,
    ProfileStore,
    base_url_problem,
    name_problem,
    normalized_base_url,
    profile_problems,
    unique_copy_name,
    username_problem,
)

EUROPE = Profile("Europe till", "https://eu.api.capillarytech.com", "store.server")
LOCAL = Profile("Local", "http://127.0.0.1:8080", "store.server")


@pytest.fixture
def store(tmp_path):
    return ProfileStore(AppPaths.under(tmp_path).profiles_file)


def test_profiles_and_the_default_survive_a_restart(store):
    assert store.save(ProfilesState((EUROPE, LOCAL), default_name="Local")) is None

    state = ProfileStore(store.path).load()

    assert state.profiles == (EUROPE, LOCAL)
    assert state.default == LOCAL
    assert state.notice is None


def test_no_file_yet_means_no_profiles_and_no_notice(store):
    assert store.load() == ProfilesState()


def test_the_file_is_plain_json_without_any_secret(store):
    store.save(ProfilesState((EUROPE,), default_name=EUROPE.name))

    data = json.loads(store.path.read_text(encoding="utf-8"))

    assert data == {
        "version": 1,
        "default": "Europe till",
        "profiles": [
            {
                "name": "Europe till",
                "base_url": "https://eu.api.capillarytech.com",
                "username": "store.server",
            }
        ],
    }


def test_saving_replaces_the_file_whole_and_leaves_no_temporary_file(store):
    store.save(ProfilesState((EUROPE, LOCAL)))
    store.save(ProfilesState((LOCAL,)))

    assert store.load().profiles == (LOCAL,)
    assert os.listdir(store.path.parent) == ["profiles.json"]


def test_a_failed_save_keeps_the_old_file_and_says_why(store, monkeypatch):
    store.save(ProfilesState((EUROPE,)))

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    message = store.save(ProfilesState((LOCAL,)))

    assert "could not be saved" in message
    assert "No space left on device" in message
    assert store.load().profiles == (EUROPE,)
    assert os.listdir(store.path.parent) == ["profiles.json"]


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"profiles": {"name": "x"}}',
        '{"profiles": [{"name": "x", "base_url": "https://a.example"}]}',
        '{"profiles": [{"name": 3, "base_url": "https://a.example", "username": "u"}]}',
        '{"profiles": [], "default": 7}',
        '{"profiles": [{"name": "x", "base_url": "https://a", "username": "u"},'
        ' {"name": "x", "base_url": "https://b", "username": "v"}]}',
    ],
)
def test_a_broken_file_is_moved_aside_and_the_desk_starts_empty(store, content):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(content, encoding="utf-8")

    state = store.load()

    assert state.profiles == ()
    aside = [p for p in store.path.parent.iterdir() if p.name.startswith("profiles.json.broken-")]
    assert len(aside) == 1
    assert aside[0].read_text(encoding="utf-8") == content  # nothing lost
    assert str(aside[0]) in state.notice
    assert not store.path.exists()


def test_a_second_broken_file_in_the_same_second_does_not_overwrite_the_first(store):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    for content in ("{first", "{second"):
        store.path.write_text(content, encoding="utf-8")
        store.load()

    kept = sorted(p.read_text() for p in store.path.parent.glob("profiles.json.broken-*"))
    assert kept == ["{first", "{second"]


def test_a_default_that_no_longer_exists_is_dropped_with_a_notice(store):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(
        json.dumps({"profiles": [EUROPE.to_json()], "default": "Gone"}), encoding="utf-8"
    )

    state = store.load()

    assert state.profiles == (EUROPE,)
    assert state.default_name is None
    assert state.default == EUROPE  # the first one stands in
    assert "“Gone” no longer exists" in state.notice


@pytest.mark.parametrize(
    "url",
    [
        *CLUSTER_PRESETS.values(),
        "https://custom.example.com/gateway",
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:5000",
        "http://[::1]:5000",
        "HTTPS://EU.API.CAPILLARYTECH.COM/",
    ],
)
def test_https_addresses_and_loopback_http_are_accepted(url):
    assert base_url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "Choose a cluster"),
        ("   ", "Choose a cluster"),
        ("eu.api.capillarytech.com", "starting with https://"),
        ("ftp://eu.api.capillarytech.com", "starting with https://"),
        ("http://eu.api.capillarytech.com", "Use https://"),
        ("http://10.0.0.5", "Use https://"),
        ("http://localhost.evil.com", "Use https://"),
        ("https://store.server:pw@eu.api.capillarytech.com", "user name and password out"),
        ("https://eu.api.capillarytech.com:99999", "port"),
        ("https://eu.api.capillarytech.com?x=1", "after '?'"),
        ("https://eu.api capillarytech.com", "spaces"),
        ("http://[::1", "not a valid address"),
    ],
)
def test_bad_addresses_get_a_message_saying_what_to_fix(url, says):
    assert says in base_url_problem(url)


def test_stored_addresses_are_normalized_so_the_keyring_account_is_stable():
    url = normalized_base_url("  HTTPS://EU.API.CapillaryTech.com/ ")

    assert url == "https://eu.api.capillarytech.com"
    assert Profile("x", url, "u").host == "eu.api.capillarytech.com"
    assert Profile("x", "http://127.0.0.1:8080", "u").host == "127.0.0.1:8080"
    assert normalized_base_url("http://[::1") == "http://[::1"  # half-typed: left as it is
    assert Profile("x", "http://[::1", "u").host == "http://[::1"


def test_profile_names_must_be_present_and_unique_ignoring_case():
    names = ("Europe till", "Local")

    assert "Give the profile a name" in name_problem("  ", names)
    assert "already exists" in name_problem("europe TILL", names)
    assert name_problem("Europe till", names, current="Europe till") is None  # editing itself
    assert name_problem("US till", names) is None


def test_usernames_must_be_present_without_spaces_or_the_account_separator():
    assert "Enter the till user name" in username_problem("")
    assert "spaces" in username_problem("store server")
    assert "'|'" in username_problem("store|server")
    assert username_problem("store.server") is None


def test_profile_problems_names_every_bad_field_at_once():
    problems = profile_problems("", "http://example.com", "", existing=())

    assert set(problems) == {"name", "base_url", "username"}
    assert profile_problems("A", "https://a.example", "u", existing=("B",)) == {}


def test_a_duplicate_gets_a_name_not_yet_taken():
    assert unique_copy_name("Europe", ("Europe",)) == "Europe (copy)"
    assert unique_copy_name("Europe", ("Europe", "Europe (copy)")) == "Europe (copy 2)"


def test_a_profiles_file_nested_100000_deep_is_set_aside_with_a_notice(tmp_path):
    # Issue 11 item 4: RecursionError at every start, and the file was never set aside.
    path = tmp_path / "profiles.json"
    path.write_text('{"profiles": ' + "[" * 100_000, encoding="utf-8")
    state = ProfileStore(path).load()
    assert state.profiles == ()
    assert "nested too deeply" in state.notice
    assert not path.exists() and len(list(tmp_path.glob("profiles.json.broken-*"))) == 1
