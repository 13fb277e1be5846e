"""The till's password digest lives in the keyring (here the in-memory one from conftest) or,
when the keyring cannot be used, in this session's memory only, with a message that says why."""

import hashlib

import keyring.backends.fail
import keyring.backends.macOS
import keyring.backends.null
import keyring.backends.SecretService
import keyring.backends.Windows
import pytest

from desktop_app.core.credentials import (
    SERVICE,
    CredentialSession,
    SecretStore,
    account_name,
    backend_label,
)

HOST = "eu.api.capillarytech.com"
USER = "store.server"
DIGEST = "8a16a6b70505eb1f1ff7cdc0cd5559a7"  # MD5 of "server123", the docs' worked example
NEW_DIGEST = hashlib.md5(b"new-password").hexdigest()


def stored(memory_keyring, host=HOST, user=USER):
    return memory_keyring.entries.get((SERVICE, f"{host}|{user}"))


def test_a_saved_digest_is_in_the_keyring_under_the_documented_names_and_survives_a_restart(
    memory_keyring,
):
    assert SecretStore().save(HOST, USER, DIGEST) is None

    account = "eu.api.capillarytech.com|store.server"
    assert memory_keyring.entries == {("redemption-desk", account): DIGEST}
    assert SecretStore().load(HOST, USER) == DIGEST  # a new store = the app started again


def test_tills_on_different_hosts_do_not_share_a_secret(memory_keyring):
    store = SecretStore()
    store.save(HOST, USER, DIGEST)

    assert store.load("us.api.capillarytech.com", USER) is None
    assert store.load(HOST, "store.other") is None


def test_a_plain_password_is_refused_so_it_can_never_be_stored(memory_keyring):
    store = SecretStore()
    for not_a_digest in ("server123", DIGEST.upper(), DIGEST + "0", ""):
        with pytest.raises(ValueError):
            store.save(HOST, USER, not_a_digest)
        with pytest.raises(ValueError):
            CredentialSession(store).pending(HOST, USER, not_a_digest, remember=True)
    assert memory_keyring.entries == {}


def test_nothing_is_saved_until_the_api_accepts_the_password(memory_keyring):
    session = CredentialSession(SecretStore())
    session.pending(HOST, USER, DIGEST, remember=True)

    assert stored(memory_keyring) is None
    assert session.digest_for(HOST, USER) == DIGEST  # used for the request meanwhile

    assert session.accepted(HOST, USER) is None
    assert stored(memory_keyring) == DIGEST


def test_a_password_the_till_rejected_is_never_stored(memory_keyring):
    store = SecretStore()
    session = CredentialSession(store)
    session.pending(HOST, USER, DIGEST, remember=True)

    rejection = session.rejected(HOST, USER)

    assert "rejected the credentials" in rejection.message
    assert not rejection.stored_secret_exists
    assert session.digest_for(HOST, USER) is None
    assert session.accepted(HOST, USER) is None  # a late success for the old attempt saves nothing
    assert memory_keyring.entries == {}
    assert SecretStore().load(HOST, USER) is None


def test_after_a_401_the_saved_digest_is_offered_for_replacement_and_replaced(memory_keyring):
    SecretStore().save(HOST, USER, DIGEST)  # saved on an earlier day; the password changed since
    store = SecretStore()
    session = CredentialSession(store)
    assert session.digest_for(HOST, USER) == DIGEST

    rejection = session.rejected(HOST, USER)

    assert rejection.stored_secret_exists
    assert session.digest_for(HOST, USER) is None  # ask again: the saved one does not work
    assert stored(memory_keyring) == DIGEST  # kept until a new one is accepted

    session.pending(HOST, USER, NEW_DIGEST, remember=True)
    assert session.accepted(HOST, USER) is None
    assert stored(memory_keyring) == NEW_DIGEST
    assert SecretStore().load(HOST, USER) == NEW_DIGEST


def test_not_remembering_the_new_password_deletes_the_rejected_saved_one(memory_keyring):
    SecretStore().save(HOST, USER, DIGEST)
    store = SecretStore()
    session = CredentialSession(store)
    session.rejected(HOST, USER)

    session.pending(HOST, USER, NEW_DIGEST, remember=False)
    assert session.accepted(HOST, USER) is None

    assert memory_keyring.entries == {}
    assert session.digest_for(HOST, USER) == NEW_DIGEST  # this session still works
    assert SecretStore().load(HOST, USER) is None  # the next start asks again


def test_not_remembering_keeps_the_digest_for_this_session_only(memory_keyring):
    store = SecretStore()
    session = CredentialSession(store)
    session.pending(HOST, USER, DIGEST, remember=False)
    session.accepted(HOST, USER)

    assert memory_keyring.entries == {}
    assert store.load(HOST, USER) == DIGEST
    assert SecretStore().load(HOST, USER) is None


def test_forget_removes_the_digest_from_the_keyring_and_from_memory(memory_keyring):
    store = SecretStore()
    store.save(HOST, USER, DIGEST)

    assert store.forget(HOST, USER) is None

    assert memory_keyring.entries == {}
    assert store.load(HOST, USER) is None
    assert store.forget(HOST, USER) is None  # forgetting twice is not an error


def test_a_locked_keyring_keeps_the_digest_for_this_session_and_says_so(memory_keyring):
    memory_keyring.locked = True
    store = SecretStore()

    message = store.save(HOST, USER, DIGEST)

    assert "keyring is locked" in message
    assert "this session only" in message
    assert store.load(HOST, USER) == DIGEST
    assert store.location_label() == "this session only"
    assert memory_keyring.entries == {}


def test_a_locked_keyring_on_start_up_asks_for_the_password_with_a_reason(memory_keyring):
    SecretStore().save(HOST, USER, DIGEST)
    memory_keyring.locked = True

    loaded = CredentialSession(SecretStore()).fetch(HOST, USER)

    assert loaded.digest is None
    assert "keyring is locked" in loaded.message
    assert "asked for again" in loaded.message


def test_no_keyring_at_all_keeps_the_digest_for_this_session_and_says_so(memory_keyring):
    memory_keyring.use_no_keyring()
    store = SecretStore()
    assert store.location_label() == "this session only"
    session = CredentialSession(store)

    session.pending(HOST, USER, DIGEST, remember=True)
    message = session.accepted(HOST, USER)

    assert "No keyring is available" in message
    assert "this session only" in message
    assert session.digest_for(HOST, USER) == DIGEST
    assert "No keyring is available" in store.forget(HOST, USER)
    assert store.load(HOST, USER) is None


def test_a_keyring_that_refuses_to_save_gives_a_message(memory_keyring):
    memory_keyring.refuse_set = True
    store = SecretStore()

    message = store.save(HOST, USER, DIGEST)

    assert "refused to save" in message
    assert store.load(HOST, USER) == DIGEST


def test_a_keyring_that_refuses_to_delete_names_the_entry_left_behind(memory_keyring):
    store = SecretStore()
    store.save(HOST, USER, DIGEST)
    memory_keyring.refuse_delete = True

    message = store.forget(HOST, USER)

    assert "refused to delete" in message
    assert f"'redemption-desk' / '{HOST}|{USER}'" in message
    assert store.load(HOST, USER) == DIGEST  # still in the keyring, as the message says


def test_a_keyring_that_cannot_be_opened_gives_a_message(memory_keyring):
    memory_keyring.init_error = True

    loaded = SecretStore().fetch(HOST, USER)

    assert loaded.digest is None
    assert "could not be opened" in loaded.message


def test_an_unexpected_backend_exception_becomes_a_message_too(memory_keyring, monkeypatch):
    def broken(*args):
        raise OSError("D-Bus connection closed")

    monkeypatch.setattr(memory_keyring, "set_password", broken)

    message = SecretStore().save(HOST, USER, DIGEST)

    assert "failed unexpectedly (OSError: D-Bus connection closed)" in message


def test_an_entry_that_is_not_a_digest_is_not_sent_and_is_explained(memory_keyring):
    memory_keyring.entries[(SERVICE, account_name(HOST, USER))] = "server123"

    loaded = SecretStore().fetch(HOST, USER)

    assert loaded.digest is None
    assert "not a password digest" in loaded.message


def test_messages_never_carry_a_digest(memory_keyring, monkeypatch):
    def leaky(*args):
        raise keyring.errors.PasswordSetError(f"cannot store {DIGEST}")

    monkeypatch.setattr(memory_keyring, "set_password", leaky)

    message = SecretStore().save(HOST, USER, DIGEST)

    assert DIGEST not in message
    assert "[redacted]" in message


@pytest.mark.parametrize(
    ("backend_class", "label"),
    [
        (keyring.backends.Windows.WinVaultKeyring, "Windows Credential Manager"),
        (keyring.backends.macOS.Keyring, "macOS Keychain"),
        (keyring.backends.SecretService.Keyring, "Secret Service"),
        (keyring.backends.fail.Keyring, "this session only"),
        (keyring.backends.null.Keyring, "this session only"),
    ],
)
def test_the_store_is_named_the_way_the_agent_knows_it(backend_class, label):
    # __new__ only: these backends refuse to initialise on the wrong operating system.
    assert backend_label(object.__new__(backend_class)) == label


def test_a_keyring_that_works_again_is_named_again(memory_keyring):
    store = SecretStore()
    memory_keyring.locked = True
    store.save(HOST, USER, DIGEST)
    assert store.location_label() == "this session only"

    memory_keyring.locked = False
    assert store.save(HOST, USER, DIGEST) is None
    assert store.location_label() == "conftest InMemoryKeyring"
