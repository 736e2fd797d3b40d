"""Amounts as printed, read through OCR noise.

PDF-to-text conversion scatters spaces inside numbers (``15, 094. 7 1``), mixes
full-width and ASCII punctuation and writes "nothing" as ``-``, ``无`` or a
blank cell. The value is kept exactly as printed (a ``Decimal``, never a float),
so nothing is rounded on the way through.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# A number as it appears after OCR: digits with optional thousands separators
# and decimal point, with stray spaces allowed around the punctuation and
# between the digits of the fraction.
_AMOUNT = re.compile(
    r"""^[-−]?\s*
        (?:\d{1,3}(?:\s*,\s*\d{3})+|\d+)      # integer part, maybe with thousands commas
        (?:\s*\.\s*\d(?:\s?\d)*)?$            # fraction, OCR may split its digits
    """,
    re.VERBOSE,
)
_NOTHING = {"", "-", "—", "--", "－", "无", "/", "—-"}
_PERCENT = re.compile(r"^[-−]?\d+(?:\.\d+)?%$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_amount(text: str | None) -> Decimal | None:
    """The amount printed in a table cell, or ``None`` when the cell holds none.

    ``"-"``, ``"无"`` and blank cells are "nothing" and give ``None``; a zero
    printed as ``0.00`` gives ``Decimal("0.00")``.
    """
    if text is None:
        return None
    folded = _fold(text)
    if folded in _NOTHING:
        return None
    if not _AMOUNT.match(folded):
        return None
    compact = re.sub(r"\s+", "", folded).replace(",", "").replace("−", "-")
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def is_amount(text: str | None) -> bool:
    return parse_amount(text) is not None


def split_amounts(text: str) -> list[Decimal] | None:
    """Several amounts OCR merged into one cell (``"705. 00 705. 00"``), else ``None``.

    Only splits on a space that follows a complete two-decimal amount, so a
    single amount with spaces inside it is never cut in two.
    """
    folded = _fold(text)
    parts = re.findall(r"[-−]?\d[\d,\s]*?\.\s*\d\s?\d(?=\s|$)", folded)
    if len(parts) < 2 or re.sub(r"\s", "", "".join(parts)) != re.sub(r"\s", "", folded):
        return None
    values = [parse_amount(p) for p in parts]
    return None if any(v is None for v in values) else values  # type: ignore[return-value]


def parse_percent(text: str) -> Decimal | None:
    folded = re.sub(r"\s+", "", _fold(text))
    if not _PERCENT.match(folded):
        return None
    return Decimal(folded.rstrip("%").replace("−", "-"))
