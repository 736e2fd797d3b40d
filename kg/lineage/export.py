"""What a person reads: the text report, CSV tables and SVG pictures of a ``Lineage``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from kg.lineage.chains import CONTINUES, SIMILAR, Link
from kg.lineage.graph import Lineage
from kg.lineage.projects import Project
from kg.lineage.svg import Step, chain_svg, family_svg

KIND_NAMES = {"budget": "budget", "final_accounts": "final accounts"}
CSV_COLUMNS = {
    "projects": ["key", "iri", "doc_id", "department", "district", "fiscal_year", "kind", "unit",
                 "name", "normalised_name", "amount", "amount_column", "table", "source_line",
                 "chain", "family"],
    "links": ["kind", "score", "chain", "from_key", "to_key", "from_year", "to_year",
              "from_name", "to_name", "from_district", "to_district", "from_iri", "to_iri",
              "evidence"],
    "chains": ["chain", "position", "key", "fiscal_year", "kind", "name", "amount",
               "link_from_previous", "score"],
    "families": ["family", "key", "district", "department", "fiscal_year", "name", "amount",
                 "chain"],
}


def chain_id(n: int) -> str:
    return f"C{n + 1}"


def family_id(n: int) -> str:
    return f"F{n + 1}"


def _amount(project: Project) -> str:
    return f"{project.amount} 万元" if project.amount is not None else "—"


def links_into(lineage: Lineage) -> dict[int, Link]:
    """The chain link arriving at each project."""
    return {link.target: link for link in lineage.links if link.chain}


def report(lineage: Lineage, limit: int = 50) -> Iterator[str]:
    """``kg link --report``: chains with amounts per year, merges and splits, families."""
    projects = lineage.projects
    documents = {p.doc_id for p in projects}
    departments = {p.department for p in projects}
    yield (f"Lineage of {len(projects)} projects in {len(documents)} documents of "
           f"{len(departments)} departments")
    arriving = links_into(lineage)
    yield ""
    yield f"Chains over the years ({len(lineage.chains)}):"
    for n, chain in enumerate(lineage.chains[:limit]):
        last = projects[chain[-1]]
        yield f"  {chain_id(n)}. {last.core} — {last.department}"
        for index in chain:
            project = projects[index]
            link = arriving.get(index)
            how = f"  ← {link.kind} {link.score:.2f}" if link else ""
            kind = KIND_NAMES.get(project.kind, project.kind)
            yield (f"      {project.fiscal_year} {kind:<15} {project.name}  {_amount(project)}"
                   f"{how}")
    others = [link for link in lineage.lineage_links() if link.kind != CONTINUES]
    yield ""
    yield f"Merges and splits ({len(others)} links):"
    for link in others[:limit]:
        a, b = projects[link.source], projects[link.target]
        yield (f"  {a.fiscal_year} {a.name} ({_amount(a)}) —{link.kind}→ "
               f"{b.fiscal_year} {b.name} ({_amount(b)})  score {link.score:.2f}")
        yield f"      {link.evidence[0]}"
    yield ""
    yield f"Families of similar projects across districts ({len(lineage.families)}):"
    for n, family in enumerate(lineage.families[:limit]):
        label = Counter(projects[i].core for i in family).most_common(1)[0][0]
        districts = sorted({projects[i].district for i in family})
        yield (f"  {family_id(n)}. {label} — {len(family)} projects in {len(districts)} "
               f"districts ({'、'.join(districts)})")
        for index in sorted(family, key=lambda i: (projects[i].district, projects[i].snapshot)):
            project = projects[index]
            yield (f"      {project.district:<6} {project.fiscal_year} {project.name}  "
                   f"{_amount(project)}")
    similar = len(lineage.similar_links())
    yield ""
    yield f"{similar} similarity links across districts (see links.csv)."


def write_csv(lineage: Lineage, out: Path) -> list[Path]:
    """projects.csv, links.csv, chains.csv and families.csv in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    projects = lineage.projects
    chain_of, family_of = lineage.chain_of(), lineage.family_of()
    rows = [{
        "key": p.key, "iri": p.iri, "doc_id": p.doc_id, "department": p.department,
        "district": p.district, "fiscal_year": p.fiscal_year, "kind": p.kind, "unit": p.unit,
        "name": p.name, "normalised_name": p.core, "amount": p.amount,
        "amount_column": p.amount_column, "table": p.table, "source_line": p.source_line,
        "chain": chain_id(chain_of[i]) if i in chain_of else "",
        "family": family_id(family_of[i]) if i in family_of else "",
    } for i, p in enumerate(projects)]
    links = [{
        "kind": link.kind, "score": link.score, "chain": link.chain,
        "from_key": projects[link.source].key, "to_key": projects[link.target].key,
        "from_year": projects[link.source].fiscal_year,
        "to_year": projects[link.target].fiscal_year,
        "from_name": projects[link.source].name, "to_name": projects[link.target].name,
        "from_district": projects[link.source].district,
        "to_district": projects[link.target].district,
        "from_iri": projects[link.source].iri, "to_iri": projects[link.target].iri,
        "evidence": " | ".join(link.evidence),
    } for link in lineage.links]
    arriving = links_into(lineage)
    chains = [{
        "chain": chain_id(n), "position": position, "key": projects[i].key,
        "fiscal_year": projects[i].fiscal_year, "kind": projects[i].kind,
        "name": projects[i].name, "amount": projects[i].amount,
        "link_from_previous": arriving[i].kind if i in arriving else "",
        "score": arriving[i].score if i in arriving else "",
    } for n, chain in enumerate(lineage.chains) for position, i in enumerate(chain, start=1)]
    families = [{
        "family": family_id(n), "key": projects[i].key, "district": projects[i].district,
        "department": projects[i].department, "fiscal_year": projects[i].fiscal_year,
        "name": projects[i].name, "amount": projects[i].amount,
        "chain": chain_id(chain_of[i]) if i in chain_of else "",
    } for n, family in enumerate(lineage.families) for i in family]
    written = []
    for name, table in (("projects", rows), ("links", links), ("chains", chains),
                        ("families", families)):
        path = out / f"{name}.csv"
        pd.DataFrame(table, columns=CSV_COLUMNS[name]).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written


def chain_picture(lineage: Lineage, n: int = 0) -> str:
    """The SVG of chain ``n`` (the longest first)."""
    projects = lineage.projects
    chain = lineage.chains[n]
    arriving = links_into(lineage)
    steps = [_step(projects[i]) for i in chain]
    links = [(arriving[i].kind, arriving[i].score) for i in chain[1:]]
    return chain_svg(steps, links, title=f"{chain_id(n)} {projects[chain[-1]].core}")


def family_picture(lineage: Lineage, n: int = 0) -> str:
    """The SVG of family ``n`` (the largest first): its chains and their similarity."""
    projects = lineage.projects
    members = lineage.families[n]
    chain_of = lineage.chain_of()
    # One node per chain (or lone project); its latest year stands for it.
    node_of: dict[object, int] = {}
    nodes: list[list[int]] = []
    for i in members:
        key = ("chain", chain_of[i]) if i in chain_of else ("project", i)
        if key not in node_of:
            node_of[key] = len(nodes)
            nodes.append([])
        nodes[node_of[key]].append(i)
    index = {i: node_of[("chain", chain_of[i]) if i in chain_of else ("project", i)]
             for i in members}
    steps = []
    for group in nodes:
        group.sort(key=lambda i: projects[i].snapshot)
        first, last = projects[group[0]], projects[group[-1]]
        span = (f"{first.fiscal_year}–{last.fiscal_year}" if len(group) > 1
                else str(last.fiscal_year))
        steps.append(Step(last.fiscal_year, last.name, last.amount, last.district, last.iri,
                          span))
    best: dict[tuple[int, int], float] = {}
    for link in lineage.links:
        if link.kind != SIMILAR or link.source not in index or link.target not in index:
            continue
        a, b = sorted((index[link.source], index[link.target]))
        if a != b:
            best[(a, b)] = max(best.get((a, b), 0.0), link.score)
    label = Counter(projects[i].core for i in members).most_common(1)[0][0]
    edges = [(a, b, score) for (a, b), score in sorted(best.items())]
    return family_svg(steps, edges, title=f"{family_id(n)} {label}")


def _step(project: Project) -> Step:
    return Step(project.fiscal_year, project.name, project.amount, project.district, project.iri)
