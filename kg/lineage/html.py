"""The lineage section of a project's HTML page, read from the lineage named graph.

``section(store, iri, lang)`` is called by the publishing stage for every
``…/id/project/…`` page; it returns an HTML fragment (a timeline of the
project's chain with amounts, its merges and splits, its family and similar
projects in other districts) or ``None`` when the lineage graph says nothing
about the project.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from kg.lineage.svg import Step, chain_svg

FAMILY_SHOWN = 30
LABELS = {
    "zh": {"lineage": "项目沿革", "timeline": "历年情况", "family": "相似项目族",
           "similar": "其他区县的相似项目", "links": "合并与拆分", "more": "另有 {n} 个",
           "continues": "延续", "merged_into": "并入", "split_into": "拆分为", "similar_to": "相似",
           "evidence": "依据", "score": "分数", "unit": "万元"},
    "en": {"lineage": "Lineage", "timeline": "Over the years",
           "family": "Family of similar projects",
           "similar": "Similar projects in other districts", "links": "Merges and splits",
           "more": "and {n} more", "continues": "continues", "merged_into": "merged into",
           "split_into": "split into", "similar_to": "similar", "evidence": "evidence",
           "score": "score", "unit": "万元"},
}

PREFIXES = """PREFIX fis: <{base}def/fiscal#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

CHAIN = PREFIXES + """SELECT ?chain ?position ?year ?name ?amount ?district ?project
WHERE {{ GRAPH <{base}graph/lineage> {{
  <{iri}> fis:inChain ?chain .
  ?chain fis:step ?step .
  ?step fis:position ?position ; fis:fiscalYear ?year ; skos:prefLabel ?name ;
        fis:stepProject ?project .
  OPTIONAL {{ ?step fis:amount ?amount }}
  OPTIONAL {{ ?step fis:districtName ?district }}
}} }}
ORDER BY ?position"""

LINKS = PREFIXES + """SELECT ?from ?to ?kind ?score
  (GROUP_CONCAT(DISTINCT ?evidence; separator=" · ") AS ?why)
WHERE {{ GRAPH <{base}graph/lineage> {{
  <{iri}> fis:inChain ?chain .
  ?chain fis:step/fis:stepProject ?member .
  {{ ?link fis:fromProject ?member }} UNION {{ ?link fis:toProject ?member }}
  ?link fis:fromProject ?from ; fis:toProject ?to ; fis:linkKind ?kindIri ; fis:score ?score .
  ?kindIri skos:notation ?kind .
  OPTIONAL {{ ?link fis:evidence ?evidence }}
}} }}
GROUP BY ?from ?to ?kind ?score"""

OTHERS = PREFIXES + """SELECT ?project ?name ?year ?district ?amount WHERE {{
  GRAPH <{base}graph/lineage> {{
    VALUES ?project {{ {projects} }}
    ?project fis:inChain ?chain .
    ?chain fis:step ?step .
    ?step fis:stepProject ?project ; skos:prefLabel ?name ; fis:fiscalYear ?year .
    OPTIONAL {{ ?step fis:districtName ?district }}
    OPTIONAL {{ ?step fis:amount ?amount }}
  }}
}}"""

FAMILY = PREFIXES + """SELECT ?family ?label ?chain ?year ?name ?amount ?district
WHERE {{ GRAPH <{base}graph/lineage> {{
  <{iri}> fis:inChain ?own .
  ?own fis:inFamily ?family .
  ?family rdfs:label ?label ; fis:familyMember ?chain .
  ?chain fis:step ?step .
  ?step fis:fiscalYear ?year ; skos:prefLabel ?name .
  OPTIONAL {{ ?step fis:amount ?amount }}
  OPTIONAL {{ ?step fis:districtName ?district }}
}} }}"""


def section(store: Any, iri: str, lang: str = "zh") -> str | None:
    """The lineage of project ``iri`` as an HTML fragment, or None if it has none."""
    if "id/project/" not in iri or any(c in iri for c in "<>\"{}|^`\\ "):
        return None
    base = iri[: iri.index("id/project/")]
    words = LABELS.get(lang, LABELS["en"])
    steps = _rows(store, CHAIN.format(base=base, iri=iri))
    if not steps:
        return None
    links = _rows(store, LINKS.format(base=base, iri=iri))
    family = _rows(store, FAMILY.format(base=base, iri=iri))
    if len(steps) < 2 and not links and not family:
        return None  # a project alone in its chain, with nothing linked: no section
    parts = [f"<section class='lineage' lang='{escape(lang)}'>",
             f"<h2>{words['lineage']}</h2>"]
    parts += _timeline(steps, links, iri, words)
    parts += _merges(store, base, links, words)
    parts += _family(family, words)
    parts += _similar(store, base, links, iri, words)
    parts.append("</section>")
    return "\n".join(parts)


def _timeline(steps: list[dict], links: list[dict], iri: str, words: dict) -> list[str]:
    by_target = {row["to"]: row for row in links if row["kind"] == "continues"
                 or row["kind"] in ("merged_into", "split_into")}
    pictured = [Step(int(str(row["year"])[:4]), row["name"], _decimal(row.get("amount")),
                     row.get("district") or "", row["project"]) for row in steps]
    arrows = []
    for row in steps[1:]:
        link = by_target.get(row["project"])
        arrows.append((link["kind"], float(link["score"])) if link else ("", 0.0))
    parts = [f"<h3>{words['timeline']}</h3>", "<figure class='lineage-chain'>",
             chain_svg(pictured, arrows), "</figure>", "<ol class='lineage-timeline'>"]
    for row in steps:
        current = " aria-current='true'" if row["project"] == iri else ""
        amount = _amount(row.get("amount"), words)
        link = by_target.get(row["project"])
        how = ""
        if link:
            title = escape(link.get("why") or "", quote=True)
            how = (f" <span class='lineage-link' title='{title}'>"
                   f"({words.get(link['kind'], link['kind'])} {float(link['score']):.2f})</span>")
        parts.append(f"<li{current}><a href='{escape(row['project'], quote=True)}'>"
                     f"{escape(str(row['year'])[:4])}</a> {escape(row['name'])} — {amount}{how}"
                     "</li>")
    parts.append("</ol>")
    return parts


def _merges(store: Any, base: str, links: list[dict], words: dict) -> list[str]:
    others = [row for row in links if row["kind"] in ("merged_into", "split_into")]
    if not others:
        return []
    names = _describe(store, base, {r["from"] for r in others} | {r["to"] for r in others})
    parts = [f"<h3>{words['links']}</h3>", "<ul class='lineage-merges'>"]
    for row in others:
        a, b = names.get(row["from"], {}), names.get(row["to"], {})
        parts.append(
            f"<li>{_project_link(row['from'], a)} {words[row['kind']]} "
            f"{_project_link(row['to'], b)} <small>({words['score']} "
            f"{float(row['score']):.2f}; {escape(row.get('why') or '')})</small></li>")
    parts.append("</ul>")
    return parts


def _family(rows: list[dict], words: dict) -> list[str]:
    if not rows:
        return []
    chains: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        chains[row["chain"]].append(row)
    parts = [f"<h3>{words['family']}: {escape(rows[0]['label'])}</h3>",
             "<table class='lineage-family'><tbody>"]
    ordered = sorted(chains.values(), key=lambda r: (r[0].get("district") or "", r[0]["name"]))
    for chain in ordered[:FAMILY_SHOWN]:
        chain.sort(key=lambda r: str(r["year"]))
        last = chain[-1]
        years = (f"{str(chain[0]['year'])[:4]}–{str(last['year'])[:4]}" if len(chain) > 1
                 else str(last["year"])[:4])
        parts.append(f"<tr><td>{escape(last.get('district') or '')}</td><td>{years}</td>"
                     f"<td>{escape(last['name'])}</td><td>{_amount(last.get('amount'), words)}"
                     "</td></tr>")
    parts.append("</tbody></table>")
    if len(ordered) > FAMILY_SHOWN:
        parts.append(f"<p>{words['more'].format(n=len(ordered) - FAMILY_SHOWN)}</p>")
    return parts


def _similar(store: Any, base: str, links: list[dict], iri: str, words: dict) -> list[str]:
    similar = [row for row in links if row["kind"] == "similar" and iri in (row["from"], row["to"])]
    if not similar:
        return []
    others = {row["to"] if row["from"] == iri else row["from"]: row for row in similar}
    names = _describe(store, base, set(others))
    parts = [f"<h3>{words['similar']}</h3>", "<ul class='lineage-similar'>"]
    for other, row in sorted(others.items(), key=lambda item: -float(item[1]["score"])):
        title = escape(row.get("why") or "", quote=True)
        parts.append(f"<li title='{title}'>{_project_link(other, names.get(other, {}))} "
                     f"<small>({words['score']} {float(row['score']):.2f})</small></li>")
    parts.append("</ul>")
    return parts


def _describe(store: Any, base: str, projects: set[str]) -> dict[str, dict]:
    values = " ".join(f"<{p}>" for p in sorted(projects) if not any(c in p for c in "<> "))
    if not values:
        return {}
    return {row["project"]: row for row in _rows(store, OTHERS.format(base=base, projects=values))}


def _project_link(iri: str, row: dict) -> str:
    label = row.get("name") or iri.rsplit("/", 1)[-1]
    where = " ".join(x for x in (row.get("district") or "", str(row.get("year") or "")[:4]) if x)
    return (f"<a href='{escape(iri, quote=True)}'>{escape(label)}</a>"
            + (f" <small>{escape(where)}</small>" if where else ""))


def _amount(value: Any, words: dict) -> str:
    amount = _decimal(value)
    return f"{amount} {words['unit']}" if amount is not None else "—"


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _rows(store: Any, sparql: str) -> list[dict[str, str]]:
    """A SELECT's rows as dicts of plain strings (absent bindings left out).

    Accepts the ``kg.store`` result (``variables`` and ``rows`` of terms) and a
    bare pyoxigraph ``Store`` result (an iterable of solutions).
    """
    result = store.query(sparql)
    if hasattr(result, "variables") and hasattr(result, "rows"):
        names = [str(v).lstrip("?") for v in result.variables]
        return [{n: _value(t) for n, t in zip(names, row, strict=True) if t is not None}
                for row in result.rows]
    names = [v.value for v in result.variables]
    return [{n: _value(s[n]) for n in names if s[n] is not None} for s in result]


def _value(term: Any) -> str:
    return str(getattr(term, "value", term))
