"""The sandbox's in-memory data, shared by every handler thread behind one lock."""

from __future__ import annotations

import copy
import threading

from desktop_app.sandbox.seed import StoredCustomer, StoredRedemption, seed_customers


class Store:
    """Seeded customers and their redemptions. Hold `lock` while reading or changing them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.customers: list[StoredCustomer] = seed_customers()

    def find_customer(self, identifier_type: str, value: str) -> StoredCustomer | None:
        """The customer whose `identifier_type` (a v2 identifierType) equals `value` exactly."""
        with self.lock:
            for customer in self.customers:
                if customer.identifier(identifier_type) == value:
                    return customer
        return None

    def snapshot(self, redemption_id: str) -> StoredRedemption | None:
        """A copy of the redemption with this exact ID, whichever customer has it."""
        with self.lock:
            for customer in self.customers:
                for redemption in customer.redemptions:
                    if redemption.redemption_id == redemption_id:
                        return copy.deepcopy(redemption)
        return None
