"""Project names as comparable keys, with the printed name kept beside them.

A project is printed a little differently from one year to the next: a
traditional character (系統), full-width punctuation, quotes, a district or
department prefix (番禺区…, 区…), a year tag ((2023年区级创文项目), 2019年…) or
a generic tail (…项目, …经费, …专项资金). ``core_name`` strips all of that;
what is left is what the project is about.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from opencc import OpenCC

from kg.documents.text import clean_text

_QUOTES = re.compile(r"[\"'“”‘’「」『』《》〈〉【】\s]")
# Year tags: a parenthesised remark holding a year or a month range, or a year prefix.
_YEAR_REMARK = re.compile(r"[(（][^()（）]*\d{4}[^()（）]*[)）]")
_YEAR_WORD = re.compile(r"\d{4}(?:[-~至]\d{4})?年度?|\d{4}[-~至]\d{4}")
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]")
# Level words that only say who spends the money ("区电子政务云平台" = the district's).
_LEVEL_PREFIXES = ("全区", "区级", "区直", "市级", "县级", "本级", "区", "市", "县")
# Generic tails, longest first so "专项经费" goes before "经费".
_GENERIC_TAILS = (
    "项目经费", "专项资金", "专项经费", "工作经费", "项目资金", "补助经费", "项目", "经费", "资金",
    "费用", "专项", "费",
)
_MIN_CORE = 2  # never strip a name down to less than this many characters
_GRAM_CHARS = re.compile(r"[\u4e00-\u9fff0-9a-z]")


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=200_000)
def simplified(name: str) -> str:
    """The printed name in simplified characters, half-width, without quotes or spaces."""
    text = _converter().convert(clean_text(name))
    text = _QUOTES.sub("", text).lower()
    return text.replace("项项目", "项目")  # a doubled 项 seen in prose ("改造项项目")


def place_prefixes(*places: str) -> tuple[str, ...]:
    """Prefixes to strip for a document's places: full names and short forms.

    ``place_prefixes("广州市", "番禺区")`` gives 广州市, 广州, 番禺区, 番禺,
    longest first.
    """
    out: set[str] = set()
    for place in places:
        place = simplified(place) if place else ""
        if len(place) < 2:
            continue
        out.add(place)
        short = re.sub(r"(?:省|市|区|县|自治区|自治州|自治县)$", "", place)
        if len(short) >= 2:
            out.add(short)
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=200_000)
def core_name(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """What the project is about: ``simplified`` minus places, year tags and generic tails."""
    text = simplified(name)
    text = _YEAR_REMARK.sub("", text)
    text = _YEAR_WORD.sub("", text)
    text = _EMPTY_BRACKETS.sub("", text)
    changed = True
    while changed:  # prefixes come in any order: 广州市番禺区, 区…, 番禺…
        changed = False
        for prefix in (*prefixes, *_LEVEL_PREFIXES):
            if text.startswith(prefix) and len(text) - len(prefix) >= _MIN_CORE:
                text = text[len(prefix):]
                changed = True
                break
    changed = True
    while changed:
        changed = False
        for tail in _GENERIC_TAILS:
            if text.endswith(tail) and len(text) - len(tail) >= _MIN_CORE:
                text = text[: -len(tail)]
                changed = True
                break
    return text or simplified(name)


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the meaningful characters (Chinese, digits, letters).

    A one-character text gives its single character, so short names still compare.
    """
    chars = "".join(_GRAM_CHARS.findall(text))
    if len(chars) < 2:
        return frozenset(chars)
    return frozenset(chars[i: i + 2] for i in range(len(chars) - 1))


def meaningful(text: str) -> str:
    """``text`` reduced to simplified Chinese characters, digits and letters."""
    return "".join(_GRAM_CHARS.findall(simplified(text)))
