"""The dataset described in VoID and DCAT, from the live graph, at ``/.well-known/void``.

Counts (triples and entities per named graph, class and property partitions)
are computed by SPARQL on the store once per dataset ``version``; the dump
files are listed with their size and sha256 from the dump manifest.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from kg.store.base import SelectResult, Store
from kg.web.dumps import WHOLE, Manifest, current_dumps, dump_url
from kg.web.render import render
from kg.web.settings import Settings
from kg.web.sparql_formats import GRAPH_TYPES, negotiate

router = APIRouter(include_in_schema=False)

# The licence of the dataset we publish (the figures are public government information).
DATASET_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLES = {"zh": "部门预算与决算知识图谱", "en": "Chinese departmental budgets and final accounts"}
DESCRIPTIONS = {
    "zh": "政府部门公开的部门预算、部门决算文件中的全部表格与数字，附来源文件与行号。",
    "en": "Every table and figure of published Chinese departmental budgets and final "
          "accounts, each with its source document and line.",
}
# Aggregates over the whole store may take longer than one user query is allowed.
SUMMARY_TIMEOUT_S = 300.0

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
OWL = "http://www.w3.org/2002/07/owl#"
PREFIXES = {"rdf": RDF, "void": VOID, "dcat": DCAT, "dct": DCT, "spdx": SPDX, "sd": SD,
            "xsd": XSD, "foaf": FOAF, "owl": OWL}


@dataclass(frozen=True)
class GraphSummary:
    iri: str
    triples: int
    entities: int


@dataclass(frozen=True)
class Summary:
    version: int
    base: str
    graphs: tuple[GraphSummary, ...]
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: tuple[tuple[str, int], ...]  # (class IRI, instances)
    properties: tuple[tuple[str, int], ...]  # (property IRI, triples)
    license: str = DATASET_LICENSE

    @property
    def dataset_iri(self) -> str:
        return self.base + ".well-known/void#dataset"

    def schema_org_json(self, dumps: Manifest | None = None) -> str:
        """schema.org Dataset markup for the home page (search engines read it)."""
        data: dict[str, Any] = {
            "@context": "https://schema.org/", "@type": "Dataset", "@id": self.dataset_iri,
            "name": TITLES["en"], "alternateName": TITLES["zh"],
            "description": DESCRIPTIONS["en"], "license": self.license, "url": self.base,
            "inLanguage": ["zh-Hans", "en"],
            "distribution": [{"@type": "DataDownload", "encodingFormat": "application/n-quads",
                              "contentUrl": self.base + "dumps/" + WHOLE}],
        }
        if dumps:
            data["distribution"] = [
                {"@type": "DataDownload", "encodingFormat": f.media_type,
                 "contentUrl": dump_url(self.base, f), "contentSize": f"{f.bytes} B"}
                for f in dumps.files
            ]
        return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


_cache: dict[tuple[int, str], Summary] = {}
_cache_lock = threading.Lock()


def dataset_summary(store: Store, settings: Settings) -> Summary:
    """The counts for the store's current version (computed once per version)."""
    version = store.version
    key = (version, settings.base_iri)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    summary = _summarise(store, settings.base_iri, version)
    with _cache_lock:
        _cache.clear()
        _cache[key] = summary
    return summary


def _select(store: Store, sparql: str) -> list[tuple]:
    result = store.query(sparql, timeout_s=SUMMARY_TIMEOUT_S)
    if not isinstance(result, SelectResult):
        raise TypeError(f"expected SELECT results for {sparql!r}")
    return result.rows


def _number(term: Any) -> int:
    return int(term.value) if term is not None else 0


def _summarise(store: Store, base: str, version: int) -> Summary:
    triples_by_graph = _select(store, "SELECT ?g (COUNT(*) AS ?t) "
                                      "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    entities_by_graph = {
        row[0].value: _number(row[1])
        for row in _select(store, "SELECT ?g (COUNT(DISTINCT ?s) AS ?e) WHERE "
                                  "{ GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) } GROUP BY ?g")
    }
    graphs = tuple(
        GraphSummary(row[0].value, _number(row[1]), entities_by_graph.get(row[0].value, 0))
        for row in triples_by_graph
    )
    totals = _select(store, "SELECT (COUNT(DISTINCT ?s) AS ?e) WHERE { GRAPH ?g { ?s ?p ?o } "
                            "FILTER(isIRI(?s)) }")
    subjects = _select(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE "
                              "{ GRAPH ?g { ?s ?p ?o } }")
    objects = _select(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE "
                             "{ GRAPH ?g { ?s ?p ?o } }")
    classes = tuple(
        (row[0].value, _number(row[1]))
        for row in _select(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE "
                                  "{ GRAPH ?g { ?s a ?c } FILTER(isIRI(?c)) } "
                                  "GROUP BY ?c ORDER BY DESC(?n) ?c")
    )
    properties = tuple(
        (row[0].value, _number(row[1]))
        for row in _select(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                                  "GROUP BY ?p ORDER BY DESC(?n) ?p")
    )
    return Summary(
        version=version, base=base, graphs=graphs,
        triples=sum(g.triples for g in graphs), entities=_number(totals[0][0]),
        distinct_subjects=_number(subjects[0][0]), distinct_objects=_number(objects[0][0]),
        classes=classes, properties=properties,
    )


def void_triples(summary: Summary, dumps: Manifest) -> list[Triple]:
    """The VoID + DCAT description as triples."""
    base = summary.base
    dataset = NamedNode(summary.dataset_iri)
    out: list[Triple] = []

    def add(subject, predicate: str, obj) -> None:
        out.append(Triple(subject, NamedNode(predicate), obj))

    def integer(value: int) -> Literal:
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))

    add(dataset, RDF + "type", NamedNode(VOID + "Dataset"))
    add(dataset, RDF + "type", NamedNode(DCAT + "Dataset"))
    for language in ("zh", "en"):
        add(dataset, DCT + "title", Literal(TITLES[language], language=language))
        add(dataset, DCT + "description", Literal(DESCRIPTIONS[language], language=language))
    add(dataset, DCT + "license", NamedNode(summary.license))
    add(dataset, DCAT + "landingPage", NamedNode(base))
    add(dataset, FOAF + "homepage", NamedNode(base))
    add(dataset, OWL + "versionInfo", Literal(str(summary.version)))  # the store version
    add(dataset, VOID + "sparqlEndpoint", NamedNode(base + "sparql"))
    add(dataset, VOID + "uriSpace", Literal(base + "id/"))
    add(dataset, VOID + "vocabulary", NamedNode(base + "def/fiscal#"))
    add(dataset, VOID + "triples", integer(summary.triples))
    add(dataset, VOID + "entities", integer(summary.entities))
    add(dataset, VOID + "distinctSubjects", integer(summary.distinct_subjects))
    add(dataset, VOID + "distinctObjects", integer(summary.distinct_objects))
    add(dataset, VOID + "classes", integer(len(summary.classes)))
    add(dataset, VOID + "properties", integer(len(summary.properties)))
    for class_iri, count in summary.classes:
        partition = BlankNode()
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", NamedNode(class_iri))
        add(partition, VOID + "entities", integer(count))
    for property_iri, count in summary.properties:
        partition = BlankNode()
        add(dataset, VOID + "propertyPartition", partition)
        add(partition, VOID + "property", NamedNode(property_iri))
        add(partition, VOID + "triples", integer(count))
    for graph in summary.graphs:
        subset = BlankNode()
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", NamedNode(VOID + "Dataset"))
        add(subset, SD + "name", NamedNode(graph.iri))
        add(subset, VOID + "triples", integer(graph.triples))
        add(subset, VOID + "entities", integer(graph.entities))
        dump = next((f for f in dumps.files if f.graph == graph.iri), None)
        if dump:
            add(subset, VOID + "dataDump", NamedNode(dump_url(base, dump)))
    for file in dumps.files:
        url = NamedNode(dump_url(base, file))
        if file.graph is None:
            add(dataset, VOID + "dataDump", url)
        distribution = BlankNode()
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF + "type", NamedNode(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", url)
        add(distribution, DCAT + "mediaType",
            NamedNode("https://www.iana.org/assignments/media-types/" + file.media_type))
        if file.path.endswith(".gz"):
            add(distribution, DCAT + "compressFormat",
                NamedNode("https://www.iana.org/assignments/media-types/application/gzip"))
        add(distribution, DCAT + "byteSize",
            Literal(str(file.bytes), datatype=NamedNode(XSD + "nonNegativeInteger")))
        checksum = BlankNode()
        add(distribution, SPDX + "checksum", checksum)
        add(checksum, RDF + "type", NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue",
            Literal(file.sha256, datatype=NamedNode(XSD + "hexBinary")))
        add(distribution, DCT + "license", NamedNode(summary.license))
    service = NamedNode(base + "sparql")
    add(service, RDF + "type", NamedNode(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", service)
    add(service, DCAT + "servesDataset", dataset)
    add(service, DCT + "conformsTo", NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    return out


VOID_TYPES = ["text/turtle", "text/html", "application/n-triples", "application/ld+json",
              "application/rdf+xml"]


@router.get("/.well-known/void")
def void_document(request: Request) -> Response:
    """VoID + DCAT: Turtle by default, HTML for browsers, other RDF syntaxes on request."""
    store = request.app.state.store
    settings = request.app.state.settings
    media = negotiate(request.headers.get("accept"), VOID_TYPES)
    if media is None:
        return Response("Not Acceptable: available as " + ", ".join(VOID_TYPES) + "\n",
                        status_code=406, media_type="text/plain")
    summary = dataset_summary(store, settings)
    dumps = current_dumps(store, settings)
    if media == "text/html":
        return render(request, "void.html", title="VoID", summary=summary, dumps=dumps,
                      dump_url=dump_url)
    body = serialize(void_triples(summary, dumps), format=GRAPH_TYPES[media],
                     prefixes=PREFIXES if media == "text/turtle" else None)
    return Response(body, media_type=media, headers={"Vary": "Accept",
                                                     "X-Dataset-Version": str(summary.version)})
