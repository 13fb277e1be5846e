"""Capillary's Basic authentication: the till username and the MD5 digest of its password."""

from __future__ import annotations

import base64
import hashlib

from desktop_app.core.model import Credentials


def md5_hex(password: str) -> str:
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def basic_token(credentials: Credentials) -> str:
    pair = f"{credentials.username}:{credentials.password_md5}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")
