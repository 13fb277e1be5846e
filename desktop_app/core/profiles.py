"""Connection profiles (a name, a cluster URL, a till username), kept in a small JSON file.

No secret ever goes in this file: the password digest lives in the keyring (credentials.py).
A file that cannot be understood is moved aside, never overwritten, so nothing is lost.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from desktop_app.core.hosts import host_of, is_loopback
from desktop_app.core.team.settings import TeamDatabase

log = logging.getLogger(__name__)

FORMAT_VERSION = 1

# CAPILLARY_API.md §1: one host per cluster; newer docs name two of them differently.
CLUSTER_PRESETS: dict[str, str] = {
    "Europe": "https://eu.api.capillarytech.com",
    "India / Asia-1": "https://apac.api.capillarytech.com",
    "Asia-2": "https://apac2.api.capillarytech.com",
    "Asia-2 (newer name)": "https://sea.api.capillarytech.com",
    "US": "https://us.api.capillarytech.com",
    "US (newer name)": "https://ushc.api.capillarytech.com",
    "China": "https://api.capillarytech.cn.com",
}


@dataclass(frozen=True)
class Profile:
    name: str
    base_url: str
    username: str
    team: TeamDatabase | None = None  # the team's shared history on PostgreSQL, if any

    @property
    def host(self) -> str:
        """The keyring account's host part: the URL's host, with `:port` when one is given."""
        return host_of(self.base_url)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "base_url": self.base_url,
            "username": self.username,
        }
        if self.team is not None:
            data["team"] = self.team.to_json()
        return data


@dataclass(frozen=True)
class ProfilesState:
    profiles: tuple[Profile, ...] = ()
    default_name: str | None = None
    notice: str | None = None  # something the agent must be told about the file, once

    @property
    def default(self) -> Profile | None:
        """The profile to start with: the chosen default, else the first one, else None."""
        chosen = self.find(self.default_name) if self.default_name else None
        return chosen or (self.profiles[0] if self.profiles else None)

    def find(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.profiles)


# --- validation (messages for the agent, None when valid) -----------------------------------


def base_url_problem(text: str) -> str | None:
    url = text.strip()
    if not url:
        return "Choose a cluster or enter its address, like https://eu.api.capillarytech.com."
    if any(c.isspace() for c in url):
        return "The address cannot contain spaces."
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "https://[::1" while it is still being typed
        return "This is not a valid address; check the brackets and the host name."
    if parts.scheme.lower() not in ("https", "http") or not parts.netloc:
        return "Enter the whole address, starting with https://"
    if parts.username is not None or parts.password is not None:
        return "Leave the user name and password out of the address."
    hostname = parts.hostname or ""
    if not hostname:
        return "The address has no host name."
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "The port after ':' must be a number from 1 to 65535."
    if parts.query or parts.fragment:
        return "Leave out anything after '?' or '#': give only the cluster address."
    if parts.scheme.lower() == "http" and not is_loopback(hostname):
        return "Use https:// — plain http is only allowed to this computer (localhost, 127.x, ::1)."
    return None


def _split(url: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def normalized_base_url(text: str) -> str:
    """The URL as stored: trimmed, scheme and host in lower case, no trailing slash."""
    parts = _split(text.strip())
    if not parts.scheme:
        return text.strip()
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path}".rstrip("/")


def name_problem(name: str, existing: tuple[str, ...], current: str | None = None) -> str | None:
    """`existing`: all profile names; `current`: the one being edited (may keep its name)."""
    wanted = name.strip()
    if not wanted:
        return "Give the profile a name."
    taken = {n.casefold() for n in existing if n != current}
    if wanted.casefold() in taken:
        return f"A profile named “{wanted}” already exists."
    return None


def username_problem(text: str) -> str | None:
    username = text.strip()
    if not username:
        return "Enter the till user name, like store.server."
    if any(c.isspace() for c in username):
        return "The till user name cannot contain spaces."
    if "|" in username:
        return "The till user name cannot contain '|'."
    return None


def profile_problems(
    name: str, base_url: str, username: str, existing: tuple[str, ...], current: str | None = None
) -> dict[str, str]:
    """Field ("name", "base_url", "username") -> message, for every field that is not valid."""
    found = {
        "name": name_problem(name, existing, current),
        "base_url": base_url_problem(base_url),
        "username": username_problem(username),
    }
    return {field: message for field, message in found.items() if message}


def unique_copy_name(name: str, existing: tuple[str, ...]) -> str:
    """ "Europe" -> "Europe (copy)", then "Europe (copy 2)", … : a name not yet taken."""
    taken = {n.casefold() for n in existing}
    candidate, number = f"{name} (copy)", 2
    while candidate.casefold() in taken:
        candidate, number = f"{name} (copy {number})", number + 1
    return candidate


# --- the file ----------------------------------------------------------------------------------


class ProfilesFileError(ValueError):
    """The profiles file is not JSON of the expected shape."""


def _parse(text: str) -> tuple[tuple[Profile, ...], str | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfilesFileError(f"not valid JSON ({error})") from error
    except RecursionError:
        raise ProfilesFileError("nested too deeply to be a profiles file") from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise ProfilesFileError("no list of profiles in it")
    profiles = []
    for index, item in enumerate(data["profiles"]):
        fields = ("name", "base_url", "username")
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in fields):
            raise ProfilesFileError(f"profile {index + 1} lacks a name, base_url or username")
        team = None
        if item.get("team") is not None:
            try:
                team = TeamDatabase.from_json(item["team"])
            except ValueError as error:
                raise ProfilesFileError(f"profile {index + 1}: {error}") from error
        profiles.append(Profile(item["name"], item["base_url"], item["username"], team))
    names = [p.name for p in profiles]
    if len(set(names)) != len(names):
        raise ProfilesFileError("two profiles have the same name")
    default = data.get("default")
    if default is not None and not isinstance(default, str):
        raise ProfilesFileError("the default profile is not a name")
    return tuple(profiles), default


class ProfileStore:
    """Reads and writes the profiles file. `save` is atomic: a crash leaves the old or new file."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self) -> ProfilesState:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ProfilesState()
        except (OSError, UnicodeDecodeError) as error:
            return self._set_aside(f"could not be read ({error})")
        try:
            profiles, default = _parse(text)
        except ProfilesFileError as error:
            return self._set_aside(str(error))
        notice = None
        if default is not None and default not in {p.name for p in profiles}:
            notice = f"The default profile “{default}” no longer exists; choose a new default."
            default = None
        return ProfilesState(profiles, default, notice)

    def save(self, state: ProfilesState) -> str | None:
        """Writes the profiles; None, or a message why they could not be saved."""
        data = {
            "version": FORMAT_VERSION,
            "default": state.default_name,
            "profiles": [p.to_json() for p in state.profiles],
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as error:
            log.warning("could not save profiles to %s: %s", self.path, error)
            return f"The profiles could not be saved to {self.path}: {error.strerror or error}."
        return None

    def _set_aside(self, reason: str) -> ProfilesState:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        number = 2
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.broken-{stamp}-{number}")
            number += 1
        try:
            os.replace(self.path, aside)
        except OSError as error:
            log.warning("could not move %s aside: %s", self.path, error)
            return ProfilesState(
                notice=f"The profiles file {self.path} {reason}, and it could not be moved "
                f"aside ({error.strerror or error}). Starting with no profiles; saving will "
                "replace it, so copy it somewhere first if you need it."
            )
        log.warning("profiles file %s %s; moved to %s", self.path, reason, aside)
        return ProfilesState(
            notice=f"The profiles file {reason}. It was moved to {aside} (nothing deleted) "
            "and the desk starts with no profiles."
        )


def _write_atomically(path: Path, text: str) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
