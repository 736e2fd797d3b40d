"""Every kind of IRI the corpus graph mints dereferences, for browsers and for RDF clients.

The IRIs are listed through the SPARQL endpoint, grouped by kind (the first two
path segments: id/doc, id/obs, id/project, def/fiscal, graph/doc …), and a few
of each kind are fetched.
"""

from __future__ import annotations

import httpx
import pytest
import rdflib
from test_pages_support import read_page

BASE = "http://localhost:8000/"
PER_KIND = 3
LISTING = f"""
SELECT ?kind ?iri WHERE {{
  {{ SELECT DISTINCT ?iri WHERE {{
    {{ GRAPH ?g {{ ?iri ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p ?iri }} }}
    UNION {{ GRAPH ?iri {{ ?s ?p ?o }} }}
    FILTER(isIRI(?iri) && STRSTARTS(STR(?iri), "{BASE}"))
  }} }}
  BIND(REPLACE(STRAFTER(STR(?iri), "{BASE}"), "^([^/#]+[/#][^/#]+).*$", "$1") AS ?kind)
}} ORDER BY ?kind ?iri
"""


@pytest.fixture(scope="module")
def samples(live_server) -> dict[str, list[str]]:
    response = httpx.get(f"{live_server.url}/sparql", params={"query": LISTING},
                         headers={"Accept": "application/sparql-results+json"}, timeout=120)
    assert response.status_code == 200, response.text
    by_kind: dict[str, list[str]] = {}
    for binding in response.json()["results"]["bindings"]:
        by_kind.setdefault(binding["kind"]["value"], []).append(binding["iri"]["value"])
    # the first, the middle and the last of each kind
    return {kind: sorted({iris[0], iris[len(iris) // 2], iris[-1]})[:PER_KIND]
            for kind, iris in by_kind.items()}


def test_the_graph_mints_the_kinds_we_expect(samples) -> None:
    assert {"id/doc", "id/obs", "id/project", "id/indicator", "id/org", "id/place", "id/code",
            "id/unit", "id/fact", "id/series", "def/fiscal", "graph/doc", "graph/ontology",
            "graph/codes"} <= set(samples)


def test_every_kind_dereferences_as_html_and_turtle(live_server, samples) -> None:
    failures = []
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        for kind, iris in samples.items():
            for iri in iris:
                path, _, fragment = iri[len(BASE) - 1:].partition("#")
                page = client.get(path, headers={"Accept": "text/html"})
                if page.status_code != 200:
                    failures.append((iri, "html", page.status_code))
                    continue
                if fragment and fragment not in read_page(page.text).ids:
                    failures.append((iri, "anchor", fragment))
                turtle = client.get(path, headers={"Accept": "text/turtle"})
                if turtle.status_code != 200:
                    failures.append((iri, "turtle", turtle.status_code))
                    continue
                graph = rdflib.Graph().parse(data=turtle.content, format="turtle")
                about = rdflib.URIRef(iri)
                if kind.startswith(("id/", "def/")) and (about, None, None) not in graph:
                    failures.append((iri, "turtle says nothing about it", len(graph)))
    assert failures == []
