"""The sandbox's seeded data: built afresh for every `Sandbox()`, so tests never share state.

Tills (Basic auth is ``username:<lowercase MD5 hex of the password>``):

| username         | password    | gets                                              |
|------------------|-------------|---------------------------------------------------|
| ``store.server`` | ``server123`` | full access (the docs' worked example)          |
| ``store.noaccess``| ``server123``| HTTP 403, code 4000 on both endpoints           |

Customers (all ``CUSTOMER`` entities; card identifiers only work for the update). Customer N has
mobile ``91980000000N``, email ``<name>@example.com``, external_id ``CUST-000N``,
id ``100000N``, cardnumber ``CARD-000N``, cardExternalId ``CEXT-000N``:
1 Asha, 2 Deep, 3 Ravi, 4 Nila.

Asha's redemptions (newest first in the default order):

| redemptionId | ext ref  | bill_id | bill number | purpose | what it exercises                 |
|--------------|----------|---------|-------------|---------|-----------------------------------|
| ``NZVAt9``   | EXT-1001 | 235     | bill-old-77 | why     | notes; custom field reason        |
| ``nzvat9``   | EXT-1002 | 236     | bill-old-78 | gift    | case-sensitive IDs: another one   |
| ``sTDVyi``   | ``""``   | unset   | ``""``      | ``""``  | ``"-1"``; string pointsRedeemed   |
| ``WaRn01``   | EXT-WARN | 301     | bill-301    | warn    | update succeeds with warnings     |
| ``ErR200``   | EXT-E200 | 302     | bill-302    | err     | update: HTTP 200 carrying errors  |
| ``FaiL50``   | EXT-F750 | 303     | bill-303    | fail    | update fails: 750 already reversed|
| ``BuSy21``   | EXT-B521 | 304     | bill-304    | busy    | update fails: 521 busy customer   |

``NZVAt9`` has the custom field ``reason`` = ``pos outage``. The update response for ``sTDVyi``
gives ``pointsRedeemed`` as the numeric string ``"25.0"`` (lenient parsing); every other one
gives a JSON number. ``ErR200``, ``FaiL50`` and ``BuSy21`` are never changed by an update.

Deep has 1,200 redemptions one hour apart: ``Dp0002`` … ``Dp1200`` (ext refs ``EXT-DEEP-0002`` …,
bill IDs 9002 …) and the oldest, ``DeEp01`` / ``EXT-DEEP-0001`` (bill_id 9001), row 1,200 in the
default order (``redeemed_time`` descending): a lookup must page past 1,000 rows to reach it.
Ravi has two plain redemptions (``RaVi01``, ``RaVi02``); Nila has none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DEMO_USERNAME = "store.server"
DEMO_PASSWORD = "server123"
DEMO_PASSWORD_MD5 = hashlib.md5(DEMO_PASSWORD.encode("utf-8")).hexdigest()
NO_ACCESS_USERNAME = "store.noaccess"

# username -> lowercase MD5 hex of the password; the value after the colon in Basic auth.
TILL_DIGESTS: dict[str, str] = {
    DEMO_USERNAME: DEMO_PASSWORD_MD5,
    NO_ACCESS_USERNAME: DEMO_PASSWORD_MD5,
}
TILLS_WITHOUT_ACCESS: frozenset[str] = frozenset({NO_ACCESS_USERNAME})

PROGRAM_ID = 772
TILL_ID = 75086856
STORE_NAME = "Bandra West"
STORE_CODE = "bandra.west"

# Redemption IDs whose updates behave specially (see the module docstring).
WARNING_REDEMPTION_ID = "WaRn01"
ERRORS_IN_200_REDEMPTION_ID = "ErR200"
REVERSED_REDEMPTION_ID = "FaiL50"
BUSY_REDEMPTION_ID = "BuSy21"
STRING_POINTS_REDEMPTION_ID = "sTDVyi"
DEEP_OLDEST_REDEMPTION_ID = "DeEp01"
DEEP_OLDEST_EXTERNAL_REFERENCE = "EXT-DEEP-0001"
DEEP_REDEMPTION_COUNT = 1200


@dataclass
class StoredRedemption:
    """One points redemption as the sandbox keeps it; mutable, changed by updates."""

    row_id: int
    redemption_id: str
    external_reference_number: str
    bill_id: int | None
    bill_number: str
    purpose: str
    notes: str
    points_redeemed: float
    redeemed_time: datetime  # store-local wall clock (IST), no zone, as the lookup shows it
    custom_fields: dict[str, str] = field(default_factory=dict)
    validation_code: str = ""


@dataclass
class StoredCustomer:
    customer_id: int
    mobile: str
    email: str
    external_id: str
    card_number: str
    card_external_id: str
    firstname: str
    lastname: str
    points_count: int
    redemptions: list[StoredRedemption] = field(default_factory=list)

    def identifier(self, identifier_type: str) -> str | None:
        """This customer's value for a v2 identifierType, None for a type it does not know."""
        return {
            "mobile": self.mobile,
            "email": self.email,
            "externalId": self.external_id,
            "id": str(self.customer_id),
            "cardnumber": self.card_number,
            "cardExternalId": self.card_external_id,
        }.get(identifier_type)


_ASHA_BASE = datetime(2024, 3, 1, 10, 0, 0)
_DEEP_BASE = datetime(2022, 1, 1, 9, 0, 0)


def _customer(number: int, name: str, lastname: str, points: int) -> StoredCustomer:
    return StoredCustomer(
        customer_id=1000000 + number,
        mobile=f"91980000000{number}",
        email=f"{name.lower()}@example.com",
        external_id=f"CUST-{number:04d}",
        card_number=f"CARD-{number:04d}",
        card_external_id=f"CEXT-{number:04d}",
        firstname=name,
        lastname=lastname,
        points_count=points,
    )


def _asha_redemptions() -> list[StoredRedemption]:
    rows = [
        # redemption_id, ext ref, bill_id, bill number, purpose, notes, points
        ("NZVAt9", "EXT-1001", 235, "bill-old-77", "why", "Redeemed at counter 2", 10.0),
        ("nzvat9", "EXT-1002", 236, "bill-old-78", "gift", "Lower-case twin of NZVAt9", 20.0),
        (STRING_POINTS_REDEMPTION_ID, "", None, "", "", "No bill attached yet", 25.0),
        (WARNING_REDEMPTION_ID, "EXT-WARN", 301, "bill-301", "warn", "", 5.0),
        (ERRORS_IN_200_REDEMPTION_ID, "EXT-E200", 302, "bill-302", "err", "", 5.0),
        (REVERSED_REDEMPTION_ID, "EXT-F750", 303, "bill-303", "fail", "Reversed on request", 5.0),
        (BUSY_REDEMPTION_ID, "EXT-B521", 304, "bill-304", "busy", "", 5.0),
    ]
    redemptions = [
        StoredRedemption(24135289 + index, *row, redeemed_time=_ASHA_BASE - timedelta(days=index))
        for index, row in enumerate(rows)
    ]
    redemptions[0].custom_fields = {"reason": "pos outage"}
    return redemptions


def _deep_redemptions() -> list[StoredRedemption]:
    return [
        StoredRedemption(
            30000000 + number,
            DEEP_OLDEST_REDEMPTION_ID if number == 1 else f"Dp{number:04d}",
            f"EXT-DEEP-{number:04d}",
            9000 + number,
            f"deep-bill-{number:04d}",
            "deep",
            "",
            1.0,
            redeemed_time=_DEEP_BASE + timedelta(hours=number),
        )
        for number in range(1, DEEP_REDEMPTION_COUNT + 1)
    ]


def _ravi_redemptions() -> list[StoredRedemption]:
    times = (datetime(2024, 2, 1, 18, 30), datetime(2024, 2, 2, 18, 30))
    return [
        StoredRedemption(40000001, "RaVi01", "EXT-RAVI-1", 701, "ravi-1", "", "", 15.0, times[0]),
        StoredRedemption(40000002, "RaVi02", "EXT-RAVI-2", 702, "ravi-2", "", "", 15.0, times[1]),
    ]


def seed_customers() -> list[StoredCustomer]:
    """Fresh, mutable seed data: every call returns new objects."""
    asha = _customer(1, "Asha", "Rao", 1240)
    asha.redemptions = _asha_redemptions()
    deep = _customer(2, "Deep", "Iyer", 52000)
    deep.redemptions = _deep_redemptions()
    ravi = _customer(3, "Ravi", "Menon", 300)
    ravi.redemptions = _ravi_redemptions()
    nila = _customer(4, "Nila", "Das", 0)
    return [asha, deep, ravi, nila]
