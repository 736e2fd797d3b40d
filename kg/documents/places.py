"""Which province a prefecture-level city belongs to.

Departments print their city and district ("广州市番禺区…") but rarely the
province. This table covers Guangdong's cities and the provincial capitals;
extend ``places.tsv`` to cover more.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_TABLE = Path(__file__).with_name("places.tsv")


@cache
def _cities() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            city, province = line.split("\t")
            table[city] = province
    return table


def province_of_city(city: str) -> str:
    """The province of ``city`` (e.g. 广州市 → 广东省), or "" when unknown."""
    return _cities().get(city, "")
