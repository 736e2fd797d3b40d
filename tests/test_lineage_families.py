"""Families, long chains and similar projects on a synthetic corpus, through the real store.

The synthetic corpus (bench/synthetic_lineage.py) knows each project's true
family (the real corpus project it descends from) and its true links; the
lineage graph is loaded into an embedded Oxigraph store and read back with
the catalogue queries and the project-page section, and what they return is
checked against that truth.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import networkx as nx
import pytest

from kg.lineage.export import family_picture
from kg.lineage.graph import Lineage, graphml_ready, link_projects
from kg.lineage.html import section
from kg.lineage.projects import mapped_project_iris, project_records
from kg.lineage.rdf import Run, lineage_graph
from kg.store.embedded import EmbeddedStore
from kg.web.queries import parse_query_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synthetic_lineage  # noqa: E402

BASE = "http://localhost:8000/"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    synthetic = synthetic_lineage.generate(synthetic_lineage.corpus_seeds(), 1500, years=6,
                                           seed=3)
    tables = {"projects": synthetic.projects, "documents": synthetic.documents}
    projects = project_records(synthetic.projects, synthetic.documents,
                               mapped_project_iris(tables, BASE))
    lineage = link_projects(projects)
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    graph = lineage_graph(lineage, Run(now, now, ()), BASE)
    store = EmbeddedStore(tmp_path_factory.mktemp("families") / "store")
    store.load({str(graph.identifier): graph})
    yield synthetic, lineage, store
    store.close()


def query(store: EmbeddedStore, query_name: str, **params: str) -> list[dict[str, str]]:
    result = store.query(parse_query_file(ROOT / "sparql" / f"{query_name}.rq").bind(params))
    return [{v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows]


def truth_of(synthetic, lineage: Lineage) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Each project IRI's true family, and the true links as IRI pairs."""
    by_key = {p.key: p.iri for p in lineage.projects}
    family = {by_key[key]: seed for key, seed in synthetic.family.items()}
    links = {(by_key[a], by_key[b]) for a, b, _ in synthetic.links}
    return family, links


def test_recurring_projects_are_true_chains(world) -> None:
    synthetic, lineage, store = world
    _, true_links = truth_of(synthetic, lineage)
    rows = query(store, "lineage-recurring-projects")
    assert len(rows) >= 50
    assert all(int(r["years"]) >= 3 for r in rows)
    checked = wrong = 0
    for row in rows[:40]:
        steps = [s for s in query(store, "lineage-project-history",
                                  name=row["name"].rsplit(" (", 1)[0])
                 if s["chain"] == row["chain"]]
        assert len({s["fiscalYear"] for s in steps}) == int(row["years"])
        for earlier, later in zip(steps, steps[1:], strict=False):
            checked += 1
            wrong += (earlier["project"], later["project"]) not in true_links
    assert checked >= 80 and wrong / checked <= 0.03


def test_similar_projects_are_mostly_of_the_same_family(world) -> None:
    synthetic, lineage, store = world
    family, _ = truth_of(synthetic, lineage)
    rows = query(store, "lineage-similar-projects")
    assert len(rows) >= 200
    assert all(r["district"] != r["similarDistrict"] for r in rows)
    assert all(r["evidence"] for r in rows)
    same = sum(family[r["project"]] == family[r["similar"]] for r in rows)
    assert same / len(rows) >= 0.85


def test_page_section_shows_the_family(world) -> None:
    synthetic, lineage, store = world
    in_family = lineage.families[0][0]
    iri = lineage.projects[in_family].iri
    html = section(store, iri, "en")
    assert html is not None
    assert "Family of similar projects" in html
    districts = {lineage.projects[i].district for i in lineage.families[0]}
    assert sum(d in html for d in districts) >= 2


def test_family_picture_and_graphml(world, tmp_path) -> None:
    _, lineage, _ = world
    svg = ElementTree.fromstring(family_picture(lineage, 0))
    circles = svg.findall(".//{http://www.w3.org/2000/svg}circle")
    chains = {frozenset(c) for c in lineage.chains}
    members = lineage.families[0]
    in_chains = sum(1 for c in chains if c & set(members))
    alone = sum(1 for i in members if not any(i in c for c in chains))
    assert len(circles) == in_chains + alone  # one circle per chain or lone project
    path = tmp_path / "lineage.graphml"
    nx.write_graphml(graphml_ready(lineage), path)
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == len(lineage.projects)
    assert back.number_of_edges() == len(lineage.links)
