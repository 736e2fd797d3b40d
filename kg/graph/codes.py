"""The code lists: classification codes, measure kinds, phases and amount units.

The national classification (政府收支分类科目) is not published as data, so
its concepts are the codes the documents print, with ``skos:broader`` read
from the code structure (2010301 → 20103 → 201) and each level (类/款/项) an
``xkos:ClassificationLevel``. A parent never printed still gets a concept,
with its notation but no label, so every ``skos:broader`` resolves.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, Graph, Literal, Namespace
from rdflib.namespace import RDFS, SKOS

from kg.graph.iris import (
    UNIT_SLUGS,
    amount_unit_iri,
    code_iri,
    code_level_iri,
    code_scheme_iri,
    graph_iri,
    ontology_namespace,
)
from kg.graph.ontology import XKOS
from kg.tables.schema import MEASURES

# classification → (Chinese name, English name, level names by depth)
CLASSIFICATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "function": ("支出功能分类科目", "functional classification of expenditure",
                 ("类", "款", "项")),
    "economic": ("支出经济分类科目", "economic classification of expenditure", ("类", "款")),
    "dept_economic": ("部门预算支出经济分类科目", "departmental economic classification",
                      ("类", "款")),
}

MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "total": ("合计", "total"),
    "current_year": ("本年合计", "this year's total"),
    "basic": ("基本支出", "basic expenditure"),
    "project": ("项目支出", "project expenditure"),
    "fiscal_appropriation": ("财政拨款", "fiscal appropriation"),
    "general_public_budget": ("一般公共预算", "general public budget"),
    "government_fund": ("政府性基金预算", "government fund budget"),
    "state_capital": ("国有资本经营预算", "state capital operation budget"),
    "special_account": ("财政专户拨款", "special fiscal account"),
    "education_fees": ("教育收费", "education fees"),
    "other_special_account": ("其他财政专户拨款", "other special account funds"),
    "other_funds": ("其他资金", "other funds"),
    "business_income": ("事业收入", "business income"),
    "operating_income": ("经营收入", "operating income"),
    "other_income": ("其他收入", "other income"),
    "superior_subsidy": ("上级补助收入", "subsidy from superior"),
    "subordinate_remittance": ("附属单位上缴收入", "remittance from subordinate units"),
    "business_fund_offset": ("用事业基金弥补收支差额", "business fund used to cover the gap"),
    "prior_year_carryover": ("上年结转", "carried over from last year"),
    "next_year_carryover": ("结转下年", "carried over to next year"),
    "business_operation": ("事业单位经营支出", "business operation expenditure"),
    "subsidy_to_subordinates": ("对附属单位补助支出", "subsidy to subordinate units"),
    "remit_to_superior": ("上缴上级支出", "remittance to superior"),
    "dept_project": ("部门项目支出", "departmental project expenditure"),
    "special_fund": ("财政专项资金", "special fiscal funds"),
    "budget": ("预算数", "budget"),
    "actual": ("决算数", "actual"),
    "opening_balance": ("年初结转和结余", "opening balance"),
    "closing_balance": ("年末结转和结余", "closing balance"),
    "income": ("本年收入", "income this year"),
    "expenditure": ("本年支出", "expenditure this year"),
    "non_tax_central": ("上缴中央", "non-tax revenue to the centre"),
    "non_tax_provincial": ("上缴省财政专户", "non-tax revenue to the province"),
    "non_tax_local": ("本级收入", "non-tax revenue kept locally"),
    "treasury": ("纳入预算管理", "paid into the treasury"),
    "special_account_paid": ("纳入财政专户管理", "paid into the special account"),
    "balance_distribution": ("结余分配", "distribution of the balance"),
    # project-table columns of final accounts
    "budget_initial": ("年初预算数", "initial budget"),
    "budget_adjusted": ("调整后预算数", "adjusted budget"),
}
PHASES = {"budget": ("预算", "budget"), "final_accounts": ("决算", "final accounts")}
UNIT_MULTIPLIERS = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}


def parent_code(code: str) -> str | None:
    """The code one level up (2010301 → 20103 → 201), None at the top."""
    return code[:-2] if len(code) > 3 else None


def code_depth(code: str) -> int:
    return 1 + (len(code) - 3) // 2


def code_list_graph(
    codes: Iterable[tuple[str, str, str]], base: str | None = None
) -> Graph:
    """The code lists: ``codes`` are (classification, code, printed name) triples.

    The first name given for a code is its ``skos:prefLabel``, later different
    ones ``skos:altLabel``; callers pass codes in document and line order so
    the choice is stable.
    """
    graph = Graph(identifier=graph_iri("codes", base=base))
    fis = ontology_namespace(base)
    _schemes(graph, base)
    _measures(graph, base)
    _phases(graph, base)
    _units(graph, fis, base)
    labels: dict[tuple[str, str], str] = {}
    for classification, code, name in codes:
        if classification not in CLASSIFICATIONS or not code.isdigit() or len(code) % 2 == 0:
            continue
        key = (classification, code)
        if key not in labels:
            labels[key] = name
            _concept(graph, classification, code, base)
            if name:
                graph.add((code_iri(classification, code, base), SKOS.prefLabel,
                           Literal(name, lang="zh")))
        elif name and name != labels[key]:
            graph.add((code_iri(classification, code, base), SKOS.altLabel,
                       Literal(name, lang="zh")))
    return graph


def _schemes(graph: Graph, base: str | None) -> None:
    for classification, (zh, en, levels) in CLASSIFICATIONS.items():
        scheme = code_scheme_iri(classification, base)
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme, SKOS.prefLabel, Literal(zh, lang="zh")))
        graph.add((scheme, SKOS.prefLabel, Literal(en, lang="en")))
        graph.add((scheme, XKOS.numberOfLevels, Literal(len(levels))))
        for depth, level_name in enumerate(levels, start=1):
            level = code_level_iri(classification, depth, base)
            graph.add((level, RDF.type, XKOS.ClassificationLevel))
            graph.add((level, XKOS.depth, Literal(depth)))
            graph.add((level, SKOS.prefLabel, Literal(f"{zh}·{level_name}", lang="zh")))
            graph.add((level, SKOS.inScheme, scheme))


def _concept(graph: Graph, classification: str, code: str, base: str | None) -> None:
    """The concept for ``code`` and, up the structure, its parents."""
    scheme = code_scheme_iri(classification, base)
    current: str | None = code
    while current is not None:
        concept = code_iri(classification, current, base)
        if (concept, RDF.type, SKOS.Concept) in graph:
            return
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.notation, Literal(current)))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((code_level_iri(classification, code_depth(current), base), SKOS.member,
                   concept))
        parent = parent_code(current)
        if parent is None:
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))
        else:
            graph.add((concept, SKOS.broader, code_iri(classification, parent, base)))
        current = parent


def _simple_scheme(graph: Graph, name: str, labels: dict[str, tuple[str, str]],
                   scheme_labels: tuple[str, str], base: str | None) -> None:
    scheme = code_scheme_iri(name, base)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal(scheme_labels[0], lang="zh")))
    graph.add((scheme, SKOS.prefLabel, Literal(scheme_labels[1], lang="en")))
    for key, (zh, en) in labels.items():
        concept = code_iri(name, key, base)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.notation, Literal(key)))
        graph.add((concept, SKOS.prefLabel, Literal(zh, lang="zh")))
        graph.add((concept, SKOS.prefLabel, Literal(en, lang="en")))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))


def _measures(graph: Graph, base: str | None) -> None:
    missing = set(MEASURES) - set(MEASURE_LABELS)
    labels = dict(MEASURE_LABELS) | {m: (m, m.replace("_", " ")) for m in sorted(missing)}
    _simple_scheme(graph, "measure", labels, ("金额口径", "measure kinds"), base)


def _phases(graph: Graph, base: str | None) -> None:
    _simple_scheme(graph, "phase", PHASES, ("预决算阶段", "phases"), base)


def _units(graph: Graph, fis: Namespace, base: str | None) -> None:
    for printed, multiplier in UNIT_MULTIPLIERS.items():
        unit = amount_unit_iri(printed, base)
        graph.add((unit, RDF.type, fis.CurrencyUnit))
        graph.add((unit, RDFS.label, Literal(printed, lang="zh")))
        graph.add((unit, RDFS.label, Literal(UNIT_SLUGS[printed], lang="en")))
        multiplier_literal = Literal(Decimal(multiplier).quantize(Decimal("0.1")))
        graph.add((unit, fis.multiplierToYuan, multiplier_literal))
