"""The till password's MD5 digest, kept in the operating system's keyring and nowhere else.

The plain password is never stored: callers hash it (`client.md5_hex`) and hand over the digest.
When the keyring cannot be used (none installed, locked, access denied) the digest is kept in
this process's memory for the session only, and every call says why in a message for the agent.

Every method may block (a Keychain prompt, a Secret Service unlock): call them off the UI thread.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import keyring
import keyring.errors

from desktop_app.core.logging_setup import redact

log = logging.getLogger(__name__)

SERVICE = "redemption-desk"
SESSION_ONLY = "this session only"
_DIGEST = re.compile(r"[0-9a-f]{32}")

# keyring module -> what the agent calls that store. Matched against the backend's module.
_STORE_NAMES: tuple[tuple[str, str], ...] = (
    ("keyring.backends.Windows", "Windows Credential Manager"),
    ("keyring.backends.macOS", "macOS Keychain"),
    ("keyring.backends.SecretService", "Secret Service"),
    ("keyring.backends.libsecret", "Secret Service"),
    ("keyring.backends.kwallet", "KDE Wallet"),
)


def is_digest(text: str) -> bool:
    """True for a lowercase hex MD5 digest: the only kind of secret the desk ever stores."""
    return isinstance(text, str) and _DIGEST.fullmatch(text) is not None


def account_name(host: str, username: str) -> str:
    """The keyring account of one till on one cluster host: `<host>|<username>`."""
    return f"{host}|{username}"


def keyring_situation(error: BaseException) -> str:
    """Names what went wrong with the keyring, in words an agent can act on."""
    if isinstance(error, keyring.errors.NoKeyringError):
        return (
            "No keyring is available on this computer (no Secret Service, Keychain or "
            "Credential Manager answered)."
        )
    if isinstance(error, keyring.errors.KeyringLocked):
        return "The keyring is locked: unlocking it was refused or the prompt was dismissed."
    if isinstance(error, keyring.errors.PasswordSetError):
        return f"The keyring refused to save the password ({_detail(error)})."
    if isinstance(error, keyring.errors.PasswordDeleteError):
        return f"The keyring refused to delete the saved password ({_detail(error)})."
    if isinstance(error, keyring.errors.InitError):
        return f"The keyring could not be opened ({_detail(error)})."
    if isinstance(error, keyring.errors.KeyringError):
        return f"The keyring reported an error ({_detail(error)})."
    return f"The keyring failed unexpectedly ({type(error).__name__}: {_detail(error)})."


def _detail(error: BaseException) -> str:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    # A backend's message never needs to carry a digest; make sure it cannot.
    return redact(first_line)[:200]


@dataclass(frozen=True)
class LoadedSecret:
    """What `SecretStore.fetch` found: the digest (or None) and why the keyring did not help."""

    digest: str | None
    message: str | None = None


class SecretStore:
    """Digests in the OS keyring (service `redemption-desk`, account `<host>|<username>`).

    Thread-safe. A digest kept "for this session only" lives in this object and dies with it.
    """

    SERVICE = SERVICE

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: dict[str, str] = {}
        self._keyring_failed = False

    # --- reading -------------------------------------------------------------------------
    def load(self, host: str, username: str) -> str | None:
        """The digest for this till, from session memory first, then the keyring."""
        return self.fetch(host, username).digest

    def fetch(self, host: str, username: str) -> LoadedSecret:
        """Like `load`, and also says why the keyring could not be read, if it could not."""
        account = account_name(host, username)
        with self._lock:
            remembered = self._session.get(account)
        if remembered is not None:
            return LoadedSecret(remembered)
        try:
            stored = keyring.get_password(SERVICE, account)
        except Exception as error:  # any backend failure becomes a message
            return LoadedSecret(None, self._failed("read", error))
        self._keyring_failed = False
        if stored is None:
            return LoadedSecret(None)
        if not is_digest(stored):
            return LoadedSecret(
                None,
                f"The entry saved in {self.location_label()} for {username} on {host} is not a "
                "password digest the desk wrote; enter the password again to replace it.",
            )
        with self._lock:
            self._session[account] = stored
        return LoadedSecret(stored)

    # --- writing -------------------------------------------------------------------------
    def save(self, host: str, username: str, digest: str) -> str | None:
        """Stores the digest in the keyring; None, or a message why it is kept for this session.

        Raises ValueError for anything but a digest, so a plain password can never be stored.
        """
        self._require_digest(digest)
        self.remember_for_session(host, username, digest)
        try:
            keyring.set_password(SERVICE, account_name(host, username), digest)
        except Exception as error:  # any backend failure becomes a message
            return self._failed("save", error)
        self._keyring_failed = False
        return None

    def remember_for_session(self, host: str, username: str, digest: str) -> None:
        """Keeps the digest in memory only, until the app quits."""
        self._require_digest(digest)
        with self._lock:
            self._session[account_name(host, username)] = digest

    def drop_from_session(self, host: str, username: str) -> None:
        """Forgets the in-memory copy only; the keyring entry, if any, stays."""
        with self._lock:
            self._session.pop(account_name(host, username), None)

    def forget(self, host: str, username: str) -> str | None:
        """Removes the digest from memory and the keyring. None, or a message why it may remain."""
        account = account_name(host, username)
        self.drop_from_session(host, username)
        try:
            # Deleting an entry that is not there raises PasswordDeleteError on most backends.
            if keyring.get_password(SERVICE, account) is None:
                return None
            keyring.delete_password(SERVICE, account)
        except Exception as error:  # any backend failure becomes a message
            return self._failed("forget", error, username=username, host=host)
        self._keyring_failed = False
        return None

    # --- where secrets live ------------------------------------------------------------------
    def location_label(self) -> str:
        """Where a saved digest lives: the OS store's name, or "this session only"."""
        if self._keyring_failed:
            return SESSION_ONLY
        try:
            backend = keyring.get_keyring()
        except Exception:  # an unusable keyring means session memory
            log.warning("keyring backend detection failed", exc_info=True)
            return SESSION_ONLY
        return backend_label(backend)

    # --- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _require_digest(digest: str) -> None:
        if not is_digest(digest):
            raise ValueError("SecretStore only keeps a lowercase hex MD5 digest, never a password")

    def _failed(
        self, action: str, error: BaseException, *, username: str = "", host: str = ""
    ) -> str:
        self._keyring_failed = True
        log.warning("keyring %s failed: %s", action, keyring_situation(error))
        situation = keyring_situation(error)
        if action == "save":
            return (
                f"{situation} The password is kept in memory for this session only; "
                "you will be asked for it again next time."
            )
        if action == "read":
            return f"{situation} The saved password could not be read, so it is asked for again."
        return (
            f"{situation} A saved password may remain in the keyring: remove the entry "
            f"'{SERVICE}' / '{account_name(host, username)}' there by hand."
        )


def backend_label(backend: object) -> str:
    """Names a keyring backend as the agent knows it; "this session only" if it stores nothing."""
    module = type(backend).__module__
    if module == "keyring.backends.chainer":
        chained = list(getattr(backend, "backends", ()))
        return backend_label(chained[0]) if chained else SESSION_ONLY
    for prefix, label in _STORE_NAMES:
        if module == prefix or module.startswith(prefix + "."):
            return label
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return SESSION_ONLY
    # A third-party or test backend: name it honestly rather than pretend it is the OS store.
    return getattr(backend, "name", type(backend).__name__)


@dataclass(frozen=True)
class Rejection:
    """What the UI tells the agent after a 401, and whether to offer replacing the saved digest."""

    message: str
    stored_secret_exists: bool


class CredentialSession:
    """The rule "save a digest only once the API accepted it", as a small policy object.

    The UI calls `pending` when the agent types a password, `accepted` after the first successful
    call with it, and `rejected` after a 401. Methods touching the keyring may block: call them
    off the UI thread (they are thread-safe).
    """

    def __init__(self, store: SecretStore):
        self.store = store
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[str, bool]] = {}
        self._stale: set[str] = set()

    def pending(self, host: str, username: str, digest: str, remember: bool) -> None:
        """A digest the agent just typed: used for requests, not stored until `accepted`."""
        SecretStore._require_digest(digest)
        with self._lock:
            self._pending[account_name(host, username)] = (digest, remember)

    def digest_for(self, host: str, username: str) -> str | None:
        """The digest to send: the pending one, else the remembered or saved one (may block).

        None after a 401 until the agent typed a new password: the saved one was rejected.
        """
        return self.fetch(host, username).digest

    def fetch(self, host: str, username: str) -> LoadedSecret:
        """Like `digest_for`, with the keyring's message when it could not be read."""
        account = account_name(host, username)
        with self._lock:
            waiting = self._pending.get(account)
            stale = account in self._stale
        if waiting:
            return LoadedSecret(waiting[0])
        return LoadedSecret(None) if stale else self.store.fetch(host, username)

    def accepted(self, host: str, username: str) -> str | None:
        """The API accepted the credentials: keep the pending digest (keyring if remember).

        Returns None, or a message to show (the keyring could not take it: session only).
        Without a pending digest (the saved one worked) nothing changes.
        """
        account = account_name(host, username)
        with self._lock:
            waiting = self._pending.pop(account, None)
            was_stale = account in self._stale
            self._stale.discard(account)
        if waiting is None:
            return None
        digest, remember = waiting
        if remember:
            return self.store.save(host, username, digest)
        # A saved digest the till rejected can never work again: delete it.
        message = self.store.forget(host, username) if was_stale else None
        self.store.remember_for_session(host, username, digest)
        return message

    def rejected(self, host: str, username: str) -> Rejection:
        """The till answered 401: drop the pending and in-memory digests (may block).

        The saved digest stays until a new one is accepted (then `accepted` replaces it, or
        deletes it when the agent chose not to remember the new one).
        """
        account = account_name(host, username)
        with self._lock:
            self._pending.pop(account, None)
        self.store.drop_from_session(host, username)
        stored = self.store.fetch(host, username).digest is not None
        # fetch() put the saved digest back in session memory; it was just rejected.
        self.store.drop_from_session(host, username)
        if stored:
            with self._lock:
                self._stale.add(account)
        return Rejection(
            message=(
                f"The till rejected the credentials for {username} on {host}. "
                "Check the password and enter it again."
            ),
            stored_secret_exists=stored,
        )
