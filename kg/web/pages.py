"""Linked-data pages: every IRI the graph mints answers, for people and for machines.

``/id/…``, ``/def/…`` and ``/graph/…`` are the paths of the IRIs minted under
the configured base (``kg.graph.iris``). A browser gets HTML (labels in the
language Accept-Language or ``?lang=`` asks for); an RDF client gets Turtle,
N-Triples, JSON-LD or RDF/XML by content negotiation, or by a suffix
(``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``) for people typing URLs. Source lines
(``/id/doc/{doc}/line/{n}``) redirect browsers to the line in ``/source/{doc}``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from kg.documents.reader import doc_id_for
from kg.store.base import QueryTimeout, Store, StoreBusy
from kg.web.describe import Summary, dataset_summary
from kg.web.labels import format_amount, is_numeric, pick_label
from kg.web.render import STATIC, language_of, render
from kg.web.resource import (
    COMMENT_PROPERTIES,
    RDF_TYPE,
    Description,
    describe,
    labels,
    statements_graph,
    unique_triples,
)
from kg.web.sparql import not_modified
from kg.web.sparql_formats import negotiate

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
# Media types served for a resource, the suffix that asks for each, and its writer.
RDF_MEDIA_TYPES: dict[str, tuple[str, RdfFormat]] = {
    "text/turtle": ("ttl", RdfFormat.TURTLE),
    "application/n-triples": ("nt", RdfFormat.N_TRIPLES),
    "application/ld+json": ("jsonld", RdfFormat.JSON_LD),
    "application/rdf+xml": ("rdf", RdfFormat.RDF_XML),
}
SUFFIXES = {suffix: media for media, (suffix, _) in RDF_MEDIA_TYPES.items()}
HTML = "text/html"
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "xkos": "http://rdf-vocabulary.ddialliance.org/xkos#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
DATASET_TYPES = {
    "http://www.w3.org/ns/dcat#Dataset", "http://rdfs.org/ns/void#Dataset",
    "http://purl.org/linked-data/cube#DataSet", "https://schema.org/Dataset",
}
LICENSE = "http://purl.org/dc/terms/license"
# Properties (of the fiscal ontology) whose value is a line of the source text.
LINE_PROPERTIES = ("sourceLine", "endLine", "firstLine", "lastLine")
# Properties that lead from a resource to the document it comes from.
DOCUMENT_LINKS = {
    "http://www.w3.org/ns/prov#wasDerivedFrom", "http://purl.org/dc/terms/isPartOf",
    "http://purl.org/linked-data/cube#dataSet",
}
SOURCE_DIRS = (Path("data/corpus"), Path(__file__).resolve().parents[2] / "data" / "corpus")
_LINE_PATH = re.compile(r"^id/doc/(?P<doc>[^/]+)/line/(?P<line>\d+)$")


# -- negotiation -----------------------------------------------------------------------------


def not_acceptable(offered: list[str]) -> Response:
    return Response(
        "Not Acceptable: this resource is available as " + ", ".join(offered) + "\n",
        status_code=406, media_type="text/plain",
    )


# -- IRIs and paths ---------------------------------------------------------------------------


def base_of(request: Request) -> str:
    return request.app.state.settings.base_iri


def store_of(request: Request) -> Store:
    return request.app.state.store


def timeout_of(request: Request) -> float:
    return request.app.state.settings.query_timeout_s


def raw_tail(request: Request, prefix: str) -> str:
    """The request path after ``prefix``, re-encoded exactly as ``kg.graph.iris`` mints it.

    Each segment is decoded and encoded again, so a client that sends the
    Chinese characters unencoded reaches the same IRI as one that sends ``%E7…``.
    """
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    tail = path[len(prefix):] if path.startswith(prefix) else path.lstrip("/")
    return "/".join(quote(unquote(segment), safe="") for segment in tail.split("/"))


def local_path(iri: str, base: str) -> str | None:
    """The path on this server that dereferences ``iri``, or None for a foreign IRI."""
    if not iri.startswith(base):
        return None
    tail = iri[len(base):]
    if tail.startswith(("id/", "graph/")):
        return "/" + tail
    if tail.startswith("def/"):
        return "/" + tail  # hash IRIs: the fragment picks the term on the ontology page
    return None


def source_link(iri: str, base: str) -> tuple[str, str, int] | None:
    """(``/source/{doc}#L{n}``, doc_id, n) when ``iri`` names a line of a source document."""
    if not iri.startswith(base):
        return None
    match = _LINE_PATH.match(iri[len(base):])
    if not match:
        return None
    doc_id = unquote(match["doc"])
    line = int(match["line"])
    return f"/source/{quote(doc_id, safe='')}#L{line}", doc_id, line


def compact_iri(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


# -- view model -------------------------------------------------------------------------------


@dataclass
class Value:
    """One value as a page shows it."""

    text: str
    href: str | None = None
    language: str | None = None
    css: str = ""
    title: str | None = None


class View:
    """Turns store terms into what a template shows, in one language."""

    def __init__(self, base: str, language: str, description: Description) -> None:
        self.base = base
        self.language = language
        self.labels = description.labels
        self.unit = self._unit_of(description)
        self.doc_id = self._document_of(description)

    def line(self, term: Any) -> Value:
        """A line number as a link to that line of the source text."""
        if not (self.doc_id and isinstance(term, Literal) and term.value.isdigit()):
            return self.value(term)
        href = f"/source/{quote(self.doc_id, safe='')}#L{term.value}"
        return Value(f"{self.doc_id} · L{term.value}", href, css="source")

    def _document_of(self, description: Description) -> str | None:
        """The source document a resource comes from (or is), as its doc_id."""
        documents = self.base + "id/doc/"
        candidates = [description.iri] + [
            value.value for prop, value in description.statements
            if prop.value in DOCUMENT_LINKS and isinstance(value, NamedNode)]
        for iri in candidates:
            if iri.startswith(documents):
                return unquote(iri[len(documents):].split("/", 1)[0])
        return None

    def label(self, iri: str) -> str:
        found = pick_label(self.labels.get(iri, []), self.language)
        if found:
            return found
        link = source_link(iri, self.base)
        if link:
            return f"{link[1]} · L{link[2]}"
        if iri.startswith(self.base):
            return unquote(iri[len(self.base):])
        return compact_iri(iri)

    def value(self, term: Any) -> Value:
        if isinstance(term, NamedNode):
            link = source_link(term.value, self.base)
            if link:
                return Value(self.label(term.value), link[0], css="source", title=term.value)
            href = local_path(term.value, self.base) or term.value
            return Value(self.label(term.value), href, title=term.value)
        if isinstance(term, Literal):
            if is_numeric(term):
                unit = self.unit if term.datatype.value.endswith("decimal") else None
                return Value(format_amount(term.value, unit), css="amount" if unit else "number")
            return Value(term.value, language=term.language)
        if isinstance(term, Triple):
            return Value(str(term))
        return Value(f"_:{term.value}")

    def _unit_of(self, description: Description) -> str | None:
        """The unit an amount is in (a value IRI under ``{base}id/unit/``), as printed (万元)."""
        for _, value in description.statements:
            if isinstance(value, NamedNode) and value.value.startswith(self.base + "id/unit/"):
                return pick_label(self.labels.get(value.value, []), "zh") or self.label(value.value)
        return None


def grouped_statements(view: View, description: Description) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    line_properties = {view.base + "def/fiscal#" + name for name in LINE_PROPERTIES}
    for prop, value in description.statements:
        if prop.value == RDF_TYPE:
            continue
        group = groups.setdefault(prop.value, {
            "property": view.value(prop), "shown": []})
        shown = view.line(value) if prop.value in line_properties else view.value(value)
        group["shown"].append(shown)
    return sorted(groups.values(), key=lambda g: g["property"].text)


def dataset_json_ld(description: Description, view: View, request: Request) -> str | None:
    """schema.org Dataset markup for a resource that is a dataset, else None."""
    if not DATASET_TYPES.intersection(description.classes):
        return None
    names = description.labels.get(description.iri, [])
    comments = [v for p in COMMENT_PROPERTIES for v in description.values(p)
                if isinstance(v, Literal)]
    page = str(request.url.replace(query=None))
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": description.iri,
        "url": page,
        "name": pick_label(names, view.language) or view.label(description.iri),
        "description": pick_label(comments, view.language)
        or f"Linked data of {view.label(description.iri)}",
        "inLanguage": ["zh-Hans", "en"],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": f"{page}.{suffix}"}
            for media, (suffix, _) in RDF_MEDIA_TYPES.items()
        ],
    }
    licences = [v.value for v in description.values(LICENSE) if isinstance(v, NamedNode)]
    if licences:
        data["license"] = licences[0]
    alternates = [v for v in names if v.value != data["name"]]
    if alternates:
        data["alternateName"] = [v.value for v in alternates]
    # "</" inside a script element would end it early.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def lineage_section(store: Store, iri: str, language: str) -> str | None:
    """The lineage stage's HTML for a project, when that stage is installed."""
    try:
        module = importlib.import_module("kg.lineage.html")
    except ModuleNotFoundError as error:
        if error.name not in ("kg.lineage", "kg.lineage.html"):
            raise
        return None
    return module.section(store, iri, language)


# -- responses --------------------------------------------------------------------------------


def rdf_response(triples: list[Triple], media: str, base: str) -> Response:
    _, rdf_format = RDF_MEDIA_TYPES[media]
    prefixes = {**PREFIXES, "id": base + "id/", "fk": base + "def/fiscal#"}
    body = serialize(unique_triples(triples), format=rdf_format,
                     prefixes=prefixes if rdf_format is RdfFormat.TURTLE else None)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def split_suffix(tail: str) -> tuple[str, str | None]:
    """``doc/x.ttl`` -> (``doc/x``, ``text/turtle``); no known suffix -> (tail, None)."""
    stem, dot, suffix = tail.rpartition(".")
    if dot and suffix in SUFFIXES and "/" not in suffix:
        return stem, SUFFIXES[suffix]
    return tail, None


def chosen_media(request: Request, suffix_media: str | None) -> str | None:
    if suffix_media:
        return suffix_media
    return negotiate(request.headers.get("accept"), [HTML, *RDF_MEDIA_TYPES])


def guarded(function, *args, **kwargs):
    """Run a store read for a page; a deadline or a full pool becomes a 503 with Retry-After."""
    try:
        return function(*args, **kwargs)
    except (QueryTimeout, StoreBusy) as error:
        raise HTTPException(503, str(error), headers={"Retry-After": "5"}) from None


def versioned(route: Callable[..., Response]) -> Callable[..., Response]:
    """ETag from the dataset version and the request; 304 when the client has it already.

    The tag changes whenever the data does (the store's version) and differs per
    path, query string, Accept and Accept-Language, so a cached page is never stale.
    """

    @functools.wraps(route)
    def answer(request: Request, *args: Any, **kwargs: Any) -> Response:
        key = "\x1f".join([request.url.path, request.url.query,
                           request.headers.get("accept", ""),
                           request.headers.get("accept-language", "")])
        digest = hashlib.sha256(key.encode()).hexdigest()[:20]
        etag = f'"v{store_of(request).version}-{digest}"'
        if not_modified(request, etag):
            return Response(status_code=304, headers={"ETag": etag})
        response = route(request, *args, **kwargs)
        if response.status_code == 200:
            response.headers["ETag"] = etag
            response.headers["Cache-Control"] = "no-cache"  # revalidate: cheap with the tag
        return response

    return answer


@router.get("/id/{path:path}")
@versioned
def resource_page(request: Request, path: str) -> Response:
    base = base_of(request)
    tail, suffix_media = split_suffix(raw_tail(request, "/"))
    iri = base + tail
    try:
        NamedNode(iri)
    except ValueError:
        raise HTTPException(404, f"not an IRI this dataset mints: {iri}") from None
    media = chosen_media(request, suffix_media)
    if media is None:
        return not_acceptable([HTML, *RDF_MEDIA_TYPES])
    line = source_link(iri, base)
    if media == HTML and line:
        return RedirectResponse(line[0], status_code=303)
    store = store_of(request)
    if media != HTML:
        result = guarded(statements_graph, store, iri, timeout_of(request))
        if not result.triples and not line:
            raise HTTPException(404, f"nothing is known about {iri}")
        return rdf_response(result.triples, media, base)
    return html_page(request, store, iri, tail)


def html_page(request: Request, store: Store, iri: str, tail: str) -> Response:
    base = base_of(request)
    language = language_of(request)
    try:
        page = max(int(request.query_params.get("page", "1")), 1)
    except ValueError:
        page = 1
    fis = base + "def/fiscal#"
    description = guarded(describe, store, iri, page=page, page_size=PAGE_SIZE,
                          timeout_s=timeout_of(request),
                          naming=(fis + "item", fis + "measureKind", fis + "table"))
    view = View(base, language, description)
    if not description.exists:
        return render(request, "resource.html", status_code=404, title=view.label(iri),
                      iri=iri, missing=True, lang=language)
    pages = max((description.incoming_total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    stem = "/" + tail.rsplit("/", 1)[-1] if tail else "/"
    comments = [v for p in COMMENT_PROPERTIES for v in description.values(p)
                if isinstance(v, Literal)]
    lineage = (lineage_section(store, iri, language)
               if iri.startswith(base + "id/project/") else None)
    document = tail[len("id/doc/"):] if tail.startswith("id/doc/") else ""
    related = [] if not document or "/" in document else [
        ("/source/" + document, "source"), ("/dumps/doc/" + document + ".ttl", "dumps"),
        ("/graph/doc/" + document, "graphs")]
    return render(
        request, "resource.html", lang=language,
        title=view.label(iri), iri=iri, missing=False,
        types=[view.value(NamedNode(t)) for t in description.types()],
        comment=pick_label(comments, language),
        groups=grouped_statements(view, description),
        incoming=[(view.value(s), view.value(p)) for s, p in description.incoming],
        incoming_total=description.incoming_total, page=page, pages=pages,
        truncated=description.truncated,
        formats=[(media, "." + suffix) for media, (suffix, _) in RDF_MEDIA_TYPES.items()],
        stem=stem.lstrip("/"), json_ld=dataset_json_ld(description, view, request),
        lineage=lineage, related=related,
    )


@router.get("/def/{path:path}")
@versioned
def ontology_page(request: Request, path: str) -> Response:
    """The ontology document (``{base}def/fiscal``): every term of its namespace on one page."""
    base = base_of(request)
    tail, suffix_media = split_suffix(raw_tail(request, "/"))
    namespace = base + tail + "#"
    media = chosen_media(request, suffix_media)
    if media is None:
        return not_acceptable([HTML, *RDF_MEDIA_TYPES])
    store = store_of(request)
    prefix = Literal(namespace)
    document = NamedNode(base + tail)
    # Terms are defined in the vocabulary graphs (ontology, codes, lineage), never in a
    # document's graph: scanning only those keeps the page fast on a large store.
    summary = guarded(dataset_summary, store, request.app.state.settings)
    vocabularies = [g.iri for g in summary.graphs
                    if not g.iri.startswith((base + "graph/doc/", base + "graph/validation/"))]
    result = guarded(store.query, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
                     f"FILTER(?s = {document} || STRSTARTS(STR(?s), {prefix})) }}",
                     default_graphs=vocabularies, timeout_s=timeout_of(request))
    if not result.triples:
        raise HTTPException(404, f"no terms in {namespace}")
    if media != HTML:
        return rdf_response(result.triples, media, base)
    language = language_of(request)
    by_term: dict[str, list[Triple]] = {}
    for triple in result.triples:
        by_term.setdefault(triple.subject.value, []).append(triple)
    names = guarded(labels, store, {t.predicate.value for t in result.triples}
                    | {t.object.value for t in result.triples if isinstance(t.object, NamedNode)}
                    | set(by_term), timeout_of(request))
    terms = []
    for term_iri in sorted(by_term, key=lambda t: (t.startswith(namespace), t)):
        statements = [(t.predicate, t.object) for t in by_term[term_iri]]
        description = Description(term_iri, statements, [], 0, names)
        view = View(base, language, description)
        terms.append({
            # the ontology's own description comes first, under #about
            "anchor": term_iri[len(namespace):] if term_iri.startswith(namespace) else "about",
            "iri": term_iri, "label": view.label(term_iri),
            "types": [view.value(NamedNode(t)) for t in description.types()],
            "groups": grouped_statements(view, description),
        })
    return render(request, "ontology.html", lang=language, title=base + tail, iri=base + tail,
                  terms=terms, stem=tail.rsplit("/", 1)[-1],
                  formats=[(m, "." + s) for m, (s, _) in RDF_MEDIA_TYPES.items()])


@router.get("/graph/{path:path}")
@versioned
def graph_page(request: Request, path: str) -> Response:
    """A named graph: its size and downloads for people, its content for RDF clients."""
    base = base_of(request)
    tail, suffix_media = split_suffix(raw_tail(request, "/"))
    iri = base + tail
    media = chosen_media(request, suffix_media)
    if media is None:
        return not_acceptable([HTML, *RDF_MEDIA_TYPES])
    store = store_of(request)
    # the per-version summary has every graph's size, computed once per data version
    summary = guarded(dataset_summary, store, request.app.state.settings)
    info = next((g for g in summary.graphs if g.iri == iri), None)
    if info is None:
        raise HTTPException(404, f"no named graph {iri}")
    if media != HTML:
        suffix, _ = RDF_MEDIA_TYPES[media]
        return Response(b"".join(store.dump(suffix, iri)), media_type=media,
                        headers={"Vary": "Accept"})
    document = tail[len("graph/doc/"):] if tail.startswith("graph/doc/") else None
    return render(request, "graph.html", title=unquote(tail), iri=iri, triples=info.triples,
                  document=unquote(document) if document else None,
                  document_path=f"/id/doc/{document}" if document else None,
                  stem=tail.rsplit("/", 1)[-1],
                  formats=[(m, "." + s) for m, (s, _) in RDF_MEDIA_TYPES.items()])


# -- source documents -------------------------------------------------------------------------


def source_file(doc_id: str, directories: tuple[Path, ...] = SOURCE_DIRS) -> Path | None:
    """The text file whose document id is ``doc_id``, in the first directory holding one."""
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.txt")):
            if doc_id_for(path) == doc_id:
                return path
    return None


def numbered_lines(path: Path) -> Iterator[str]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        yield (f'<span class="line" id="L{number}"><a class="number" href="#L{number}">'
               f"{number}</a>{html.escape(line)}</span>")


@router.get("/source/{doc_id}")
def source_page(request: Request, doc_id: str) -> Response:
    """The source text of a document, every line anchored ``#L{n}`` for provenance links."""
    if doc_id.endswith(".txt"):
        path = source_file(doc_id[:-4])
        if path is None:
            raise HTTPException(404, f"no source text for document {doc_id[:-4]!r}")
        return FileResponse(path, media_type="text/plain; charset=utf-8")
    path = source_file(doc_id)
    if path is None:
        raise HTTPException(404, f"no source text for document {doc_id!r}")
    return render(request, "source.html", title=doc_id, doc_id=doc_id,
                  document_path="/id/doc/" + quote(doc_id, safe=""),
                  lines=numbered_lines(path), filename=path.name)


@router.get("/static/{path:path}")
def static_file(path: str) -> Response:
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC.resolve() not in target.parents:
        raise HTTPException(404, "no such file")
    return FileResponse(target, headers={"Cache-Control": "public, max-age=3600"})


# -- home -------------------------------------------------------------------------------------


def documents_listed(store: Store, summary: Summary, language: str,
                     timeout_s: float | None) -> list[dict[str, Any]]:
    """One entry per document graph, labelled in ``language``, with its size."""
    base = summary.base
    prefix = base + "graph/doc/"
    graphs = [g for g in summary.graphs if g.iri.startswith(prefix)]
    iris = {g.iri: base + "id/doc/" + g.iri[len(prefix):] for g in graphs}
    names = guarded(labels, store, iris.values(), timeout_s)
    listed = []
    for graph in graphs:
        document = iris[graph.iri]
        doc_id = unquote(graph.iri[len(prefix):])
        listed.append({
            "doc_id": doc_id, "label": pick_label(names.get(document, []), language) or doc_id,
            "href": local_path(document, base), "graph": local_path(graph.iri, base),
            "source": "/source/" + quote(doc_id, safe=""), "triples": graph.triples,
        })
    return listed


@router.get("/")
@versioned
def home(request: Request) -> Response:
    """What the dataset is, and where to go from here."""
    store = store_of(request)
    settings = request.app.state.settings
    language = language_of(request)
    summary = guarded(dataset_summary, store, settings)
    documents = documents_listed(store, summary, language, timeout_of(request))
    return render(request, "home.html", lang=language, title="fiscal-kg",
                  summary=summary, documents=documents,
                  ontology=local_path(base_of(request) + "def/fiscal", base_of(request)),
                  json_ld=summary.schema_org_json())
