"""Text cells as a reader means them: wrap breaks joined, stray spaces gone."""

from __future__ import annotations

import re
import unicodedata

# OCR confusions seen in table headers of converted PDFs (λ for 入 in 收入).
_OCR_HEADER_FIXES = str.maketrans({"λ": "入", "Λ": "入"})
_SPACE_RUN = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


def fold(text: str) -> str:
    """Full-width to half-width and compatibility forms to plain ones (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def clean_text(text: str | None) -> str:
    """A cell's text with line-wrap spaces removed.

    A space survives only between two ASCII letters or digits ("iGuard 2"),
    where it is a real word break; between Chinese characters it is the
    trace of a wrapped line and goes.
    """
    if not text:
        return ""
    folded = fold(text).replace("\u00a0", " ").strip()
    folded = re.sub(r"</?p>|<[^>]+>", " ", folded)  # html fragments from the converter
    parts = _SPACE_RUN.split(folded.strip())
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if out and part and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]):
            out += " " + part
        else:
            out += part
    return out


def compact(text: str | None) -> str:
    """All whitespace removed and OCR header confusions fixed: for matching labels."""
    if not text:
        return ""
    return _SPACE_RUN.sub("", fold(text).translate(_OCR_HEADER_FIXES))


def join_wrapped(parts: list[str]) -> str:
    """Fragments of one cell wrapped over several lines, joined as one text."""
    return clean_text(" ".join(p for p in parts if p and p.strip()))
