"""The desk's vocabulary: small frozen dataclasses that cross every layer.

Widgets and history never see the API's raw dicts; the client turns JSON into these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ENTITY_TYPES: tuple[str, ...] = ("CUSTOMER", "USERGROUP2", "FLEET")
IDENTIFIER_TYPES: tuple[str, ...] = (
    "mobile",
    "email",
    "externalId",
    "id",
    "cardnumber",
    "cardExternalId",
)
# The v1.1 lookup takes the customer as one query key; card identifiers have no lookup.
LOOKUP_QUERY_KEYS: dict[str, str] = {
    "mobile": "mobile",
    "email": "email",
    "externalId": "external_id",
    "id": "id",
}

BILL_ID_NOT_SET = -1
INT64_MAX = 9_223_372_036_854_775_807
PURPOSE_MAX_CHARS = 255


@dataclass(frozen=True)
class Entity:
    """The customer (or user group, or fleet) a redemption belongs to: the API's `entity`."""

    type: str
    identifier_type: str
    identifier_value: str

    @property
    def can_be_looked_up(self) -> bool:
        return self.type == "CUSTOMER" and self.identifier_type in LOOKUP_QUERY_KEYS

    def to_json(self) -> dict[str, str]:
        return {
            "type": self.type,
            "identifierType": self.identifier_type,
            "identifierValue": self.identifier_value,
        }

    def describe(self) -> str:
        return f"{self.type} {self.identifier_type} {self.identifier_value}"


class KeyKind(StrEnum):
    """Which of the two redemption identifiers the agent chose. The value is the JSON key."""

    REDEMPTION_ID = "redemptionId"
    EXTERNAL_REFERENCE = "externalReferenceNumber"

    @property
    def label(self) -> str:
        return "Redemption ID" if self is KeyKind.REDEMPTION_ID else "External reference"


@dataclass(frozen=True)
class RedemptionKey:
    kind: KeyKind
    value: str

    def to_json(self) -> dict[str, str]:
        return {self.kind.value: self.value}

    def describe(self) -> str:
        return f"{self.kind.label} {self.value}"


@dataclass(frozen=True)
class CustomField:
    name: str
    value: str


@dataclass(frozen=True)
class Customer:
    """Who the lookup found, for the agent to recognise ("is this Asha?") before sending."""

    first_name: str = ""
    last_name: str = ""
    mobile: str = ""
    email: str = ""
    external_id: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def describe(self) -> str:
        """E.g. "Asha Rao · 919800000001 · asha@example.com" (what is known, in that order)."""
        parts = (self.name, self.mobile, self.email, self.external_id)
        return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class Redemption:
    """A points redemption as the lookup found it. `bill_id` is None when the server says -1."""

    redemption_id: str
    external_reference: str = ""
    bill_id: int | None = None
    bill_number: str = ""
    purpose: str = ""
    notes: str = ""
    points: float | None = None
    program_id: int | None = None
    redeemed_time: str = ""
    store: str = ""
    till: str = ""
    validation_code: str = ""
    custom_fields: tuple[CustomField, ...] = ()
    customer: Customer | None = None  # from the lookup's customer record


@dataclass(frozen=True)
class MetadataChange:
    """Only what the agent changed; None means "leave as it is" and is never sent."""

    bill_id: int | None = None
    bill_number: str | None = None
    purpose: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.bill_id is None and self.bill_number is None and self.purpose is None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.bill_id is not None:
            body["billId"] = self.bill_id
        if self.bill_number is not None:
            body["billNumber"] = self.bill_number
        if self.purpose is not None:
            body["purpose"] = self.purpose
        return body


@dataclass(frozen=True)
class ApiMessage:
    """One entry of the v2 `errors` or `warnings` array."""

    code: int | None
    message: str


@dataclass(frozen=True)
class UpdateResult:
    """A successful `PUT /v2/points/updateRedemption`, every field typed. `raw` is the body."""

    id: int | None = None
    program_id: int | None = None
    points_redeemed: float | None = None
    bill_id: int | None = None
    bill_number: str = ""
    validation_code: str = ""
    notes: str = ""
    redemption_time: int | None = None
    points_redemption_time: int | None = None
    till_id: int | None = None
    till_name: str = ""
    point_deduction_list: tuple[Any, ...] = ()
    redemption_id: str = ""
    external_reference: str = ""
    custom_fields: tuple[CustomField, ...] = ()
    customer_id: int | None = None
    redemption_purpose: str = ""
    redemption_date: str = ""
    warnings: tuple[ApiMessage, ...] = ()
    http_status: int = 200
    raw: str = ""


class ProblemKind(StrEnum):
    AUTH = "auth"
    ACCESS = "access"
    VALIDATION = "validation"
    NOT_FOUND = "not found"
    RATE_LIMITED = "rate limited"
    SERVER = "server"
    NETWORK = "network"
    TLS = "TLS"
    TIMEOUT = "timeout"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ApiProblem:
    """Why a call failed, in a shape every layer can show and record.

    `may_have_applied` is True when the request may have reached the server before the failure
    (a PUT whose response was lost): the outcome is then unknown, never "failed".
    """

    kind: ProblemKind
    message: str
    code: int | None = None
    http_status: int | None = None
    raw: str = ""
    errors: tuple[ApiMessage, ...] = ()
    warnings: tuple[ApiMessage, ...] = ()
    retry_after_seconds: float | None = None
    may_have_applied: bool = False

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(e.code for e in self.errors if e.code is not None) or (
            (self.code,) if self.code is not None else ()
        )


class ApiFailure(Exception):
    """Raised by the client; carries the ApiProblem to show and record."""

    def __init__(self, problem: ApiProblem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Credentials:
    """A till username and the lowercase hex MD5 of its password. Never printed."""

    username: str
    password_md5: str = field(repr=False)
