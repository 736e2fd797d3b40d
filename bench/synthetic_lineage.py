"""A synthetic corpus with known lineage, grown from the real projects of the corpus.

Every department of every district starts from real project names, texts and
amounts of ``data/corpus`` and lives through the years: projects continue
(renamed a little: a district prefix added or dropped, a traditional
character, a year tag, a generic tail changed), change amount and wording,
end, appear, merge (two become one, ``A及B``, the amount summed) and split (one
becomes ``A建设`` and ``A运维``); now and then a department publishes nothing
for a year, and some departments run the same project under two units. The
same real project run by departments in different districts forms a family.

The output is the ``documents`` and ``projects`` tables of the contract (so
the linker reads it exactly as it reads extracted documents) and the truth:
the links that should be found.

    python bench/synthetic_lineage.py --projects 5000 --evaluate
    python bench/synthetic_lineage.py --projects 5000 --out /tmp/synthetic
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from opencc import OpenCC

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.lineage.chains import CONTINUES, MERGED, SPLIT  # noqa: E402
from kg.lineage.graph import Lineage, link_projects  # noqa: E402
from kg.lineage.projects import project_records  # noqa: E402
from kg.tables.schema import TABLES  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

# Real districts (and their cities) of Guangdong: where the departments are.
DISTRICTS = (
    ("广州市", "越秀区"), ("广州市", "海珠区"), ("广州市", "荔湾区"), ("广州市", "天河区"),
    ("广州市", "白云区"), ("广州市", "黄埔区"), ("广州市", "番禺区"), ("广州市", "花都区"),
    ("广州市", "南沙区"), ("广州市", "从化区"), ("广州市", "增城区"), ("深圳市", "福田区"),
    ("深圳市", "罗湖区"), ("深圳市", "南山区"), ("深圳市", "宝安区"), ("深圳市", "龙岗区"),
    ("深圳市", "盐田区"), ("深圳市", "龙华区"), ("深圳市", "坪山区"), ("深圳市", "光明区"),
    ("珠海市", "香洲区"), ("珠海市", "斗门区"), ("珠海市", "金湾区"), ("佛山市", "禅城区"),
    ("佛山市", "南海区"), ("佛山市", "顺德区"), ("佛山市", "三水区"), ("佛山市", "高明区"),
    ("清远市", "清城区"), ("清远市", "清新区"), ("肇庆市", "端州区"), ("肇庆市", "鼎湖区"),
    ("肇庆市", "高要区"), ("江门市", "蓬江区"), ("江门市", "江海区"), ("江门市", "新会区"),
    ("惠州市", "惠城区"), ("惠州市", "惠阳区"), ("汕头市", "金平区"), ("汕头市", "龙湖区"),
    ("湛江市", "赤坎区"), ("湛江市", "霞山区"), ("韶关市", "浈江区"), ("韶关市", "武江区"),
    ("茂名市", "茂南区"), ("梅州市", "梅江区"), ("河源市", "源城区"), ("阳江市", "江城区"),
)
# Departments of a district that run projects of this kind (政务/数据 bureaus and the like).
DEPARTMENTS = (
    "政务服务数据管理局", "政务服务管理局", "政务服务和数据管理局", "科技工业商务和信息化局",
    "大数据中心", "行政审批局", "数字政府建设中心", "政府办公室", "信息中心", "营商环境办公室",
)
SUB_UNIT = "政务服务中心"
TAILS = ("项目", "经费", "项目经费", "专项资金", "")
SPLIT_PARTS = (("建设", "运维"), ("硬件采购", "软件服务"), ("平台", "运营"))
TRADITIONAL = str.maketrans(
    "统务费网电云维护区运营发项设备监数据", "統務費網電雲維護區運營發項設備監數據"
)
FIRST_YEAR = 2014


@dataclass
class Seed:
    name: str
    content: str
    target: str
    amount: Decimal
    function_code: str


@dataclass
class Live:
    key: str          # doc_id#Lline of the project's latest row (how the linker names it)
    seed: int
    base: str         # what the project is, without place, year tag or generic tail
    name: str         # as printed this year
    content: str
    target: str
    amount: Decimal
    unit: str
    parents: list[tuple[str, str]] = field(default_factory=list)  # (earlier key, link kind)


@dataclass
class Synthetic:
    documents: pd.DataFrame
    projects: pd.DataFrame
    links: set[tuple[str, str, str]]          # (earlier key, later key, kind)
    family: dict[str, int] = field(default_factory=dict)  # project key -> seed


def seed_pool(projects: pd.DataFrame) -> list[Seed]:
    """Distinct real projects: name (four characters or more), texts, a positive amount.

    A project the corpus prints twice (in its table and in the key-project
    targets, or in prose) is one seed: two seeds must be two projects.
    """
    to_simplified = OpenCC("t2s")
    seeds: dict[str, Seed] = {}
    for row in projects.to_dict("records"):
        name = str(row.get("name") or "").strip()
        if len(name) < 4 or not re.search(r"[\u4e00-\u9fff]", name):
            continue
        key = _base(to_simplified.convert(re.sub(r"[\"“”\s]", "", name)), "")
        key = re.sub(r"^\d{4}年度?|^[(（]\d{4}年[^)）]*[)）]|^[全本]?区|费$", "", key)
        amount = next(
            (row[c] for c in ("total", "actual", "budget_initial") if _positive(row.get(c))), None
        )
        seeds.setdefault(key, Seed(
            name=re.sub(r"\s+", "", name),
            content=_clean(row.get("content")),
            target=_clean(row.get("performance_target")),
            amount=Decimal(str(amount)) if amount is not None else Decimal("50.00"),
            function_code=_clean(row.get("function_code")),
        ))
    return list(seeds.values())


def corpus_seeds() -> list[Seed]:
    from kg.tables.extract import extract_documents

    return seed_pool(extract_documents(sorted(CORPUS.glob("*.txt"))).tables["projects"])


def generate(seeds: list[Seed], projects: int, years: int = 10, seed: int = 1) -> Synthetic:
    """About ``projects`` project rows over ``years`` years, with the truth of their lineage."""
    rng = random.Random(seed)
    per_year = min(24, max(6, len(seeds) // 3))
    departments = max(1, round(projects / (per_year * years)))
    out = _Writer()
    for number in range(departments):
        city, district = DISTRICTS[number % len(DISTRICTS)]
        kind = DEPARTMENTS[(number // len(DISTRICTS)) % len(DEPARTMENTS)]
        series = number // (len(DISTRICTS) * len(DEPARTMENTS))
        department = f"{city}{district}{kind}" + (f"第{series + 1}分局" if series else "")
        _department_history(rng, seeds, out, department, city, district, per_year, years)
    documents = pd.DataFrame(out.documents, columns=list(TABLES["documents"]))
    rows = pd.DataFrame(out.rows, columns=list(TABLES["projects"]))
    return Synthetic(documents, rows, out.links, out.family)


class _Writer:
    def __init__(self) -> None:
        self.documents: list[dict] = []
        self.rows: list[dict] = []
        self.links: set[tuple[str, str, str]] = set()
        self.family: dict[str, int] = {}

    def document(self, department: str, city: str, district: str, year: int) -> str:
        doc_id = f"syn-{len(self.documents):05d}-{year}"
        self.documents.append({
            "doc_id": doc_id, "source_file": f"{doc_id}.txt", "department": department,
            "province": "广东省", "city": city, "district": district, "fiscal_year": year,
            "kind": "budget", "amount_unit": "万元", "title": f"{year}年{department}部门预算",
            "sha256": "", "line_count": 0,
        })
        return doc_id

    def project(self, doc_id: str, line: int, live: Live, seeds: list[Seed]) -> str:
        row = {column: None for column in TABLES["projects"]}
        row.update(
            doc_id=doc_id, unit=live.unit, name=live.name,
            function_code=seeds[live.seed].function_code, total=live.amount,
            fiscal_appropriation=live.amount, content=live.content,
            performance_target=live.target, table="project_expenditure", source_line=line,
            end_line=line,
        )
        self.rows.append(row)
        key = f"{doc_id}#L{line}"
        self.family[key] = live.seed
        return key


def _department_history(
    rng: random.Random, seeds: list[Seed], out: _Writer, department: str, city: str,
    district: str, per_year: int, years: int,
) -> None:
    own_unit = f"{department}本级"
    other_unit = f"{city}{district}{SUB_UNIT}"
    chosen = rng.sample(range(len(seeds)), min(len(seeds), per_year))
    unused = [s for s in range(len(seeds)) if s not in chosen]
    for offset in range(years):
        year = FIRST_YEAR + offset
        if offset == 0:
            live = [_born(rng, seeds, s, district, year, own_unit) for s in chosen]
            if rng.random() < 0.3 and live:  # the same project under two units of one document
                twin = live[0]
                live.append(Live("", twin.seed, twin.base, twin.name, twin.content, twin.target,
                                 _scaled(rng, twin.amount, 0.3, 0.8), other_unit))
        elif rng.random() < 0.08:  # no document this year: the projects go on unseen
            continue
        else:
            live = _evolve(rng, seeds, live, unused, district, year, own_unit)
        doc_id = out.document(department, city, district, year)
        line = 100
        for project in live:
            line += rng.randint(2, 9)
            key = out.project(doc_id, line, project, seeds)
            for earlier, kind in project.parents:
                out.links.add((earlier, key, kind))
            project.key, project.parents = key, []


def _born(rng: random.Random, seeds: list[Seed], index: int, district: str, year: int,
          unit: str) -> Live:
    seed = seeds[index]
    base = _base(seed.name, district)
    return Live("", index, base, _printed(rng, base, district, year),
                _reword(rng, seed.content, district), _reword(rng, seed.target, district),
                _scaled(rng, seed.amount, 0.3, 3.0), unit)


def _evolve(rng: random.Random, seeds: list[Seed], live: list[Live], unused: list[int],
            district: str, year: int, unit: str) -> list[Live]:
    out: list[Live] = []
    pending = list(live)
    rng.shuffle(pending)
    while pending:
        project = pending.pop()
        roll = rng.random()
        if roll < 0.07:  # ends
            continue
        mergeable = pending and pending[-1].unit == project.unit
        if roll < 0.10 and mergeable and len(project.base) + len(pending[-1].base) < 24:
            other = pending.pop()
            base = f"{project.base}及{other.base}"
            merged = Live("", project.seed, base, _printed(rng, base, district, year),
                          f"{project.content}{other.content}", f"{project.target}{other.target}",
                          project.amount + other.amount, project.unit,
                          [(project.key, MERGED), (other.key, MERGED)])
            out.append(merged)
            continue
        if roll < 0.13 and len(project.base) < 16:  # splits in two
            share = Decimal(str(round(rng.uniform(0.3, 0.7), 2)))
            halves = (project.amount * share, project.amount * (1 - share))
            for part, amount in zip(rng.choice(SPLIT_PARTS), halves, strict=True):
                base = f"{project.base}{part}"
                out.append(Live("", project.seed, base, _printed(rng, base, district, year),
                                _reword(rng, project.content, district), project.target,
                                amount.quantize(Decimal("0.01")), project.unit,
                                [(project.key, SPLIT)]))
            continue
        renamed = rng.random() < 0.3
        out.append(Live(
            "", project.seed, project.base,
            _printed(rng, project.base, district, year) if renamed else project.name,
            _reword(rng, project.content, district), _reword(rng, project.target, district),
            _scaled(rng, project.amount, 0.7, 1.4), project.unit, [(project.key, CONTINUES)],
        ))
    for _ in range(rng.randint(0, max(1, round(len(live) * 0.15)))):  # new projects
        if unused:
            index = unused.pop(rng.randrange(len(unused)))
            out.append(_born(rng, seeds, index, district, year, unit))
    return out


def _base(name: str, district: str) -> str:
    """A real name made this district's: another district's prefix and the generic tail go."""
    name = re.sub(r"^[\u4e00-\u9fff]{2}区(?!域)", "", re.sub(r"\s+", "", name))
    changed = True
    while changed:
        changed = False
        for tail in ("项目经费", "专项资金", "项目", "经费", "费用"):
            if name.endswith(tail) and len(name) > len(tail) + 2:
                name, changed = name[: -len(tail)], True
    return name


def _printed(rng: random.Random, base: str, district: str, year: int) -> str:
    """How a document prints the project: one of the small variations real documents show."""
    tail = rng.choice(TAILS)
    choice = rng.randrange(6)
    if choice == 0:
        return f"{district}{base}{tail}"
    if choice == 1:
        return f"{rng.choice((f'{year}年', f'({year}年)', f'{year}年度'))}{base}{tail}"
    if choice == 2:
        return f"{base}{tail}".translate(TRADITIONAL)
    if choice == 3:
        return f"“{base}”{tail}"
    return f"{base}{tail}"


def _reword(rng: random.Random, text: str, district: str) -> str:
    """The same text with a clause dropped now and then and the district's own name."""
    text = re.sub(r"[\u4e00-\u9fff]{2}区", district, text)
    clauses = re.split(r"(?<=[，。；;,])", text)
    if len(clauses) > 3 and rng.random() < 0.5:
        clauses.pop(rng.randrange(len(clauses)))
    return "".join(clauses)


def _scaled(rng: random.Random, amount: Decimal, low: float, high: float) -> Decimal:
    return (amount * Decimal(str(round(rng.uniform(low, high), 3)))).quantize(Decimal("0.01"))


def _positive(value: object) -> bool:
    try:
        return value is not None and Decimal(str(value)) > 0
    except ArithmeticError:
        return False


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


# -- evaluation ----------------------------------------------------------------


@dataclass
class Scores:
    links_found: int
    links_true: int
    precision: float
    recall: float
    merge_split_precision: float
    merge_split_recall: float
    family_precision: float
    family_recall: float

    def lines(self) -> list[str]:
        return [
            f"lineage links: {self.links_found} found, {self.links_true} true, "
            f"precision {self.precision:.3f}, recall {self.recall:.3f}",
            f"merges and splits: precision {self.merge_split_precision:.3f}, "
            f"recall {self.merge_split_recall:.3f}",
            f"families (pairs of projects in other districts): precision "
            f"{self.family_precision:.3f}, recall {self.family_recall:.3f}",
        ]


def evaluate(lineage: Lineage, truth: Synthetic) -> Scores:
    """Precision and recall of the links (kind ignored, then merges and splits) and families."""
    keys = [p.key for p in lineage.projects]
    found = {(keys[link.source], keys[link.target], link.kind) for link in lineage.lineage_links()}
    pairs_found = {(a, b) for a, b, _ in found}
    pairs_true = {(a, b) for a, b, _ in truth.links}
    hit = len(pairs_found & pairs_true)
    ms_found = {(a, b) for a, b, kind in found if kind != CONTINUES}
    ms_true = {(a, b) for a, b, kind in truth.links if kind != CONTINUES}
    family_p, family_r = _family_scores(lineage, truth)
    return Scores(
        links_found=len(pairs_found), links_true=len(pairs_true),
        precision=hit / len(pairs_found) if pairs_found else 0.0,
        recall=hit / len(pairs_true) if pairs_true else 0.0,
        merge_split_precision=len(ms_found & ms_true) / len(ms_found) if ms_found else 0.0,
        merge_split_recall=len(ms_found & ms_true) / len(ms_true) if ms_true else 0.0,
        family_precision=family_p, family_recall=family_r,
    )


def _family_scores(lineage: Lineage, truth: Synthetic) -> tuple[float, float]:
    """Pairwise precision and recall over pairs of projects in different districts.

    Counted from the contingency table of (family found, true family, district),
    so no list of pairs is ever built.
    """
    projects = lineage.projects
    family_of = lineage.family_of()
    cells: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    found: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    true: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for index, project in enumerate(projects):
        seed = truth.family[project.key]
        true[seed][project.district] += 1
        family = family_of.get(index)
        if family is not None:
            found[family][project.district] += 1
            cells[(family, seed)][project.district] += 1
    both = sum(_cross_pairs(c) for c in cells.values())
    predicted = sum(_cross_pairs(c) for c in found.values())
    actual = sum(_cross_pairs(c) for c in true.values())
    return (both / predicted if predicted else 0.0, both / actual if actual else 0.0)


def _cross_pairs(by_district: dict[str, int]) -> int:
    """Pairs of members that are in different districts."""
    total = sum(by_district.values())
    return (total * total - sum(n * n for n in by_district.values())) // 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write documents.csv, projects.csv, truth.csv")
    parser.add_argument("--evaluate", action="store_true", help="link and report precision/recall")
    args = parser.parse_args(argv)
    synthetic = generate(corpus_seeds(), args.projects, args.years, args.seed)
    print(f"{len(synthetic.projects)} projects in {len(synthetic.documents)} documents, "
          f"{len(synthetic.links)} true links")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        synthetic.documents.to_csv(args.out / "documents.csv", index=False)
        synthetic.projects.to_csv(args.out / "projects.csv", index=False)
        pd.DataFrame(sorted(synthetic.links), columns=["earlier", "later", "kind"]).to_csv(
            args.out / "truth.csv", index=False)
    if args.evaluate:
        lineage = link_projects(project_records(synthetic.projects, synthetic.documents))
        for line in evaluate(lineage, synthetic).lines():
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
