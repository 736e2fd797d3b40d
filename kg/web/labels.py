"""Choosing a language from Accept-Language, the label to show, and amounts as people read them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal

LANGUAGES = ("zh", "en")  # the languages our labels are written in
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC_TYPES = {f"{XSD}{name}" for name in ("decimal", "integer", "double", "float", "int",
                                              "long", "nonNegativeInteger")}


def preferred_language(accept_language: str | None, default: str = "zh") -> str:
    """The first of ``LANGUAGES`` the header asks for, by q-value; ``default`` otherwise.

    ``zh-CN``, ``zh-Hans`` and ``zh-TW`` all choose ``zh`` (labels are written
    in simplified Chinese); ``en-GB`` chooses ``en``; ``*`` chooses ``default``.
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
        if primary == "*":
            return default
    return default


def pick_label(literals: Iterable[Literal], language: str) -> str | None:
    """The label in ``language``, else one without a language tag, else any; None if none."""
    by_language: dict[str, str] = {}
    for literal in literals:
        tag = (literal.language or "").split("-")[0].lower()
        by_language.setdefault(tag, literal.value)
    for tag in (language, "", *LANGUAGES):
        if tag in by_language:
            return by_language[tag]
    return next(iter(by_language.values()), None)


def format_amount(value: str, unit: str | None = None) -> str:
    """``15094.71`` -> ``15,094.71 万元``: grouped digits, the printed decimals kept."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return f"{value} {unit}".strip() if unit else value
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = f"{number:,.{places}f}"
    return f"{text} {unit}" if unit else text


def is_numeric(literal: Literal) -> bool:
    return literal.datatype is not None and literal.datatype.value in NUMERIC_TYPES
