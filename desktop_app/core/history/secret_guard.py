"""A last line of defence: nothing that looks like credentials is ever written to the history.

The callers never pass secrets on purpose; this catches the mistake. It looks for three shapes
rather than for words, so a purpose like "Authorization pending at POS" or "Basic tier" is still
recorded:
- an `Authorization:` header line,
- a quoted key named like a credential (`"Authorization": …`, `'password': …`),
- `Basic <base64>` whose decoded text is `user:secret`.
Text we build (the request) is refused; text a server sent (response, messages) is redacted, so
the outcome is still recorded.
"""

from __future__ import annotations

import base64
import binascii
import re

REDACTED = "[redacted]"

# [ \t], not \s: \s would also take line breaks, and every line start of a body of blank lines
# would then rescan the rest of the body.
_HEADER_LINE = re.compile(r"(?im)^([ \t]*authorization[ \t]*:)(.*)$")
_QUOTED_KEY = re.compile(
    r"""(?i)(["'](?:authorization|password|password_?md5|passwordmd5)["']\s*:\s*)"""
    r"""("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,}]+)"""
)
_BASIC = re.compile(r"(?i)\b(basic\s+)([a-z0-9+/]{4,}={0,2})")


class SecretRefused(ValueError):
    """Raised instead of writing text that carries credentials."""


def _is_basic_credentials(token: str) -> bool:
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return ":" in decoded and decoded.isprintable()


def secret_problem(text: str) -> str | None:
    """Why `text` must not be stored, or None when it is clean."""
    if _HEADER_LINE.search(text):
        return "an Authorization header"
    match = _QUOTED_KEY.search(text)
    if match:
        return f"a credential field ({match.group(1).strip(' :')})"
    if any(_is_basic_credentials(m.group(2)) for m in _BASIC.finditer(text)):
        return "HTTP Basic credentials"
    return None


def refuse_secrets(field_name: str, text: str) -> None:
    problem = secret_problem(text)
    if problem:
        raise SecretRefused(f"Not recorded: the {field_name} contains {problem}.")


def redact_secrets(text: str) -> str:
    text = _HEADER_LINE.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _QUOTED_KEY.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)
    return _BASIC.sub(
        lambda m: m.group(1) + REDACTED if _is_basic_credentials(m.group(2)) else m.group(0), text
    )
