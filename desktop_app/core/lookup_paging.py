"""Finding one redemption among a customer's pages of redemptions (CAPILLARY_API.md §3)."""

from __future__ import annotations

from typing import Any

from desktop_app.core import responses
from desktop_app.core.model import KeyKind, Redemption, RedemptionKey


def match_redemption(rows: list[dict[str, Any]], key: RedemptionKey) -> Redemption | None:
    field = "redemption_id" if key.kind is KeyKind.REDEMPTION_ID else "external_reference_number"
    for row in rows:
        if responses.as_str(row.get(field)) == key.value:
            return responses.parse_redemption_row(row)
    return None


class OffsetPager:
    """Works out whether `points_offset` counts rows or pages (CAPILLARY_API.md §3).

    The second request asks for offset 1. Counting rows, that page is the first one shifted by a
    single row; counting pages, it is a different page (or, 1-based, the same page again). From
    then on the offset moves by a whole page in the unit the server uses.
    """

    def __init__(self, page_size: int):
        self.page_size = page_size
        self.offset = 0
        self.unit: str | None = None
        self._first_ids: list[str] = []

    @property
    def probed(self) -> bool:
        return self.unit is not None

    def advance(self, ids: list[str]) -> bool:
        if self.offset == 0:
            self._first_ids = ids
            self.offset = 1
            return True
        if self.unit is None:
            shifted_by_one = ids[: len(ids) - 1] == self._first_ids[1:]
            self.unit = "rows" if shifted_by_one else "pages"
            self.offset = 1 + self.page_size if self.unit == "rows" else 2
            return True
        self.offset += self.page_size if self.unit == "rows" else 1
        return True
