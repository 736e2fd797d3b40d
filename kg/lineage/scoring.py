"""How alike two projects are, on everything known about them, and why.

A score is a weighted mean of signals in [0, 1]: the name, the content and
performance-target text, the amount, the function code; a signal that one side
lacks counts as neutral (0.5; 0.3 across districts), so a link on thin evidence
scores lower than the same name with agreeing texts and amounts. Penalties
follow: another unit of the department, documents skipped in between. Words
that occur in most projects (运维, 服务, 建设) weigh little: every overlap is
weighted by how rare the shared character pairs are (inverse document
frequency), so a shared generic phrase does not make two projects alike.

``score`` is the fast path used on every candidate pair; ``explain`` gives the
same score with the evidence in words a person can check, for the links kept.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.lineage.names import bigrams, meaningful
from kg.lineage.projects import Project

TEXT_TERMS = 32  # the rarest character pairs kept per project text


@dataclass(frozen=True)
class Weights:
    name: float
    text: float
    amount: float
    code: float
    other_unit: float = 0.0   # subtracted when the units differ
    skipped: float = 0.0      # subtracted per document of the department skipped
    mention: float = 0.1      # added when one project names the other in its text
    missing: float = 0.5      # the value of a signal one side lacks


# Within a department every project shares the function code and the amounts
# are comparable; across districts amounts depend on the district's size.
# Within a department the same name a few years apart is good evidence on its own;
# across districts a shared name says little until the texts agree.
LINEAGE = Weights(name=0.45, text=0.32, amount=0.15, code=0.08, other_unit=0.15, skipped=0.08)
SIMILARITY = Weights(name=0.45, text=0.40, amount=0.05, code=0.10, mention=0.05, missing=0.3)


@dataclass(frozen=True)
class Explained:
    score: float
    evidence: tuple[str, ...]


class Scorer:
    """Features of every project, computed once, and the pairwise scores."""

    def __init__(self, projects: Sequence[Project]) -> None:
        self.projects = projects
        self.names = [bigrams(p.core) for p in projects]
        self.name_df = name_df = Counter(g for grams in self.names for g in grams)
        count = max(len(projects), 1)
        self.name_idf = {g: math.log(1 + count / df) for g, df in name_df.items()}
        self.flat_texts = _shared([meaningful(p.text) for p in projects])
        texts = _text_grams(self.flat_texts)
        self.text_df = text_df = Counter(g for grams in texts for g in grams)
        self.text_idf = {g: math.log(1 + count / df) for g, df in text_df.items()}
        # Keep only each text's rarest pairs: they say what the project is about.
        self.texts = [
            frozenset(sorted(grams, key=lambda g: (text_df[g], g))[:TEXT_TERMS])
            for grams in texts
        ]
        self.name_mass = [sum(self.name_idf[g] for g in grams) for grams in self.names]
        self.text_mass = [sum(self.text_idf[g] for g in grams) for grams in self.texts]
        self.amounts = [p.amount_value for p in projects]
        self.codes = [p.function_code for p in projects]
        self.units = [p.unit_key for p in projects]

    # -- signals -----------------------------------------------------------

    def name_similarity(self, i: int, j: int) -> float:
        a, b = self.projects[i].core, self.projects[j].core
        if a == b:
            return 1.0
        shared = self.names[i] & self.names[j]
        mass = self.name_mass[i] + self.name_mass[j]
        dice = 2 * sum(self.name_idf[g] for g in shared) / mass if mass else 0.0
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        if len(short) >= 3 and short in long_:  # "X" and "X二期", "A" and "A及B"
            return max(dice, 0.4 + 0.6 * len(short) / len(long_))
        return dice

    def text_similarity(self, i: int, j: int) -> float | None:
        if not self.texts[i] or not self.texts[j]:
            return None
        shared = self.texts[i] & self.texts[j]
        if not shared:
            return 0.0
        weight = sum(self.text_idf[g] for g in shared)
        union = self.text_mass[i] + self.text_mass[j] - weight
        return weight / union if union else 0.0

    def amount_similarity(self, i: int, j: int) -> float | None:
        a, b = self.amounts[i], self.amounts[j]
        if not a or not b or a <= 0 or b <= 0:
            return None
        return max(0.0, 1.0 - abs(math.log10(a / b)))  # tenfold change: 0

    def code_similarity(self, i: int, j: int) -> float | None:
        a, b = self.codes[i], self.codes[j]
        if not a or not b:
            return None
        if a == b:
            return 1.0
        for length, value in ((5, 0.7), (3, 0.4)):
            if a[:length] == b[:length]:
                return value
        return 0.0

    def named_in(self, i: int, j: int) -> bool:
        """Project ``i``'s name is written in ``j``'s text, exactly or nearly.

        Nearly: 85% of its character pairs (five at least) occur in the text, as
        when a list in the text inserts a word ("政府网站、政务新媒体运维管理").
        """
        core = self.projects[i].core
        text = self.flat_texts[j]
        if not text or len(core) < 5:  # 电子政务, 运维服务: too common to tell anything
            return False
        if core in text:
            return True
        grams = self.names[i]
        if len(grams) < 5:
            return False
        present = _text_bigrams(text)
        return sum(g in present for g in grams) >= 0.85 * len(grams)

    def mentions(self, i: int, j: int) -> bool:
        """One project's name is written in the other's text."""
        return self.named_in(i, j) or self.named_in(j, i)

    # -- scores ------------------------------------------------------------

    def score(self, i: int, j: int, weights: Weights, skipped: int = 0) -> float:
        total = weights.name * self.name_similarity(i, j)
        for weight, value in (
            (weights.text, self.text_similarity(i, j)),
            (weights.amount, self.amount_similarity(i, j)),
            (weights.code, self.code_similarity(i, j)),
        ):
            total += weight * (weights.missing if value is None else value)
        if weights.other_unit and self.units[i] != self.units[j]:
            total -= weights.other_unit
        total -= weights.skipped * skipped
        if weights.mention and self.mentions(i, j):
            total += weights.mention
        return round(max(0.0, min(1.0, total)), 4)

    def explain(self, i: int, j: int, weights: Weights, skipped: int = 0) -> Explained:
        a, b = self.projects[i], self.projects[j]
        evidence = [self._name_evidence(i, j)]
        text = self.text_similarity(i, j)
        if text is None:
            side = "either" if not self.texts[i] and not self.texts[j] else "one"
            evidence.append(f"no content or target text on {side} side")
        else:
            shared = sorted(self.texts[i] & self.texts[j], key=lambda g: -self.text_idf[g])
            terms = "、".join(shared[:6]) if shared else "nothing distinctive"
            evidence.append(f"texts: similarity {text:.2f}, shared terms {terms}")
        evidence.append(_amount_evidence(a, b, self.amount_similarity(i, j)))
        code = self.code_similarity(i, j)
        if code is not None:
            same = "same function code" if code == 1.0 else "function codes"
            codes = a.function_code if code == 1.0 else f"{a.function_code} vs {b.function_code}"
            evidence.append(f"{same} {codes}")
        if weights.other_unit and self.units[i] != self.units[j]:
            evidence.append(f"different units: {self.units[i]} vs {self.units[j]}")
        if weights.mention:
            for x, y in ((i, j), (j, i)):
                if self.named_in(x, y):
                    evidence.append(
                        f"「{self.projects[x].core}」 is written in the text of "
                        f"「{self.projects[y].name}」 ({self.projects[y].fiscal_year})"
                    )
        if a.district != b.district:
            evidence.append(f"other district: {a.district or '?'} / {b.district or '?'}")
        gap = abs(b.fiscal_year - a.fiscal_year)
        if weights.skipped and gap:
            between = f", {skipped} document(s) of the department in between" if skipped else ""
            evidence.append(f"{gap} year(s) apart{between}")
        return Explained(self.score(i, j, weights, skipped), tuple(evidence))

    def _name_evidence(self, i: int, j: int) -> str:
        a, b = self.projects[i], self.projects[j]
        if a.core == b.core:
            printed = f"printed 「{a.name}」/「{b.name}」"
            if a.name == b.name:
                printed = "same printed name"
            return f"same name once normalised: 「{a.core}」 ({printed})"
        value = self.name_similarity(i, j)
        shared = sorted(self.names[i] & self.names[j], key=lambda g: -self.name_idf[g])
        common = "、".join(shared[:6]) if shared else "nothing"
        return f"names 「{a.core}」/「{b.core}」: similarity {value:.2f}, shared {common}"


def _amount_evidence(a: Project, b: Project, similarity: float | None) -> str:
    if similarity is None:
        return "amount missing on " + ("both sides" if a.amount is None and b.amount is None
                                       else "one side")
    change = (float(b.amount) - float(a.amount)) / float(a.amount)  # type: ignore[arg-type]
    trend = "unchanged" if abs(change) < 0.005 else f"{change:+.1%}"
    return f"amount {a.amount} → {b.amount} ({trend})"


@lru_cache(maxsize=4096)  # pairs are scored block by block: a small cache serves them
def _text_bigrams(text: str) -> frozenset[str]:
    return bigrams(text)


def _shared(texts: list[str]) -> list[str]:
    """Equal texts as one string object: synthetic and repeated texts cost memory once."""
    seen: dict[str, str] = {}
    return [seen.setdefault(text, text) for text in texts]


def _text_grams(texts: list[str]) -> list[frozenset[str]]:
    """Bigram sets of each text; identical texts share one set and one copy of each gram."""
    seen: dict[str, frozenset[str]] = {}
    out = []
    for text in texts:
        grams = seen.get(text)
        if grams is None:
            grams = frozenset(sys.intern(g) for g in bigrams(text)) if text else frozenset()
            seen[text] = grams
        out.append(grams)
    return out
