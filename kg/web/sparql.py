"""``/sparql``: the SPARQL 1.1 Protocol (query and update) over the store.

Every result is materialised (up to the row cap) before its first byte is
sent, so a query that runs out of time gets 503 + Retry-After and never a 200
with partial results, and a capped result says so in its headers and, where
the format allows, in its body.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.store.base import (
    AskResult,
    GraphResult,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    Store,
    StoreBusy,
    StoreError,
)
from kg.store.sparql_text import read
from kg.web.settings import Settings
from kg.web.sparql_formats import (
    FORMAT_NAMES,
    GRAPH_TYPES,
    RESULT_TYPES,
    negotiate,
    write_graph,
    write_results,
)
from kg.web.sparql_guard import RefusedQuery, refuse_remote

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
PROBLEM = "application/problem+json"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID_TRIPLES = NamedNode("http://rdfs.org/ns/void#triples")


class ProtocolError(Exception):
    """A request the protocol rejects: becomes a problem+json response."""

    def __init__(self, status: int, title: str, detail: str, **extra: object):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: object) -> JSONResponse:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problem_for(error: ProtocolError) -> JSONResponse:
    return problem(error.status, error.title, error.detail, error.headers, **error.extra)


@dataclass
class Operation:
    """What a request asks: a query or an update, and the dataset it names."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None

    @property
    def dataset(self) -> tuple[list[str] | None, list[str] | None]:
        if not self.default_graphs and not self.named_graphs:
            return None, None
        return self.default_graphs, self.named_graphs


def media_type_of(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, settings: Settings) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
        raise ProtocolError(413, "Request body too large",
                            f"the limit is {settings.max_body_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.max_body_bytes:
            raise ProtocolError(413, "Request body too large",
                                f"the limit is {settings.max_body_bytes} bytes")
    return bytes(body)


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, "Request body is not UTF-8", str(error)) from None


async def read_operation(request: Request, settings: Settings) -> Operation:
    """The protocol's parameters from the URL, a form body or a direct body."""
    pairs = list(request.query_params.multi_items())
    kind = media_type_of(request)
    if request.method == "POST":
        body = await read_body(request, settings)
        if kind == FORM:
            pairs += parse_qsl(decode(body), keep_blank_values=True)
        elif kind == QUERY_BODY:
            pairs.append(("query", decode(body)))
        elif kind == UPDATE_BODY:
            pairs.append(("update", decode(body)))
        else:
            raise ProtocolError(
                415, "Unsupported Media Type",
                f"a POST to /sparql takes {FORM}, {QUERY_BODY} or {UPDATE_BODY}, "
                f"not {kind or 'a body without Content-Type'}",
                accepted=[FORM, QUERY_BODY, UPDATE_BODY],
            )
    operation = Operation()
    for name, value in pairs:
        if name in ("query", "update"):
            if getattr(operation, name) is not None:
                raise ProtocolError(400, "Repeated parameter", f"give {name} once")
            setattr(operation, name, value)
        elif name == "default-graph-uri":
            operation.default_graphs.append(value)
        elif name == "named-graph-uri":
            operation.named_graphs.append(value)
        elif name == "format":
            operation.format = value
    if operation.query is not None and operation.update is not None:
        raise ProtocolError(400, "Query and update", "give either query or update, not both")
    if operation.update is not None and request.method != "POST":
        raise ProtocolError(405, "Update needs POST", "send SPARQL Update with POST")
    return operation


def chosen_type(request: Request, operation: Operation, available: Sequence[str]) -> str:
    if operation.format:
        wanted = FORMAT_NAMES.get(operation.format.lower(), operation.format.lower())
        if wanted in available:
            return wanted
        accept = None
    else:
        accept = request.headers.get("accept")
        found = negotiate(accept, available)
        if found:
            return found
    raise ProtocolError(
        406, "Not Acceptable",
        f"none of the requested types ({operation.format or accept}) can carry this "
        f"result; available: {', '.join(available)}",
        available=list(available),
    )


def etag_for(version: int, operation: Operation, media_type: str) -> str:
    digest = hashlib.sha256("\x1f".join([
        operation.query or "", "\x1e".join(operation.default_graphs),
        "\x1e".join(operation.named_graphs), media_type,
    ]).encode()).hexdigest()[:20]
    return f'"v{version}-{digest}"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header or request.method not in ("GET", "HEAD"):
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def content_type(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def authorised(request: Request, settings: Settings) -> None:
    """Writes need the configured bearer token; without one the endpoint is read-only."""
    if not settings.write_token:
        raise ProtocolError(403, "Read-only endpoint",
                            "this endpoint is read-only: no write token is configured")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), settings.write_token.encode()):
        error = ProtocolError(401, "Unauthorized", "writes need 'Authorization: Bearer <token>'")
        error.headers["WWW-Authenticate"] = 'Bearer realm="fiscal-kg"'
        raise error


def local_graphs(request: Request) -> set[str]:
    return {graph.iri for graph in request.app.state.store.graphs()}


def service_description(request: Request, operation: Operation) -> Response:
    """A SPARQL service description whose endpoint is the URL this request used."""
    settings: Settings = request.app.state.settings
    store = request.app.state.store
    endpoint = str(request.url.replace(query=""))
    sd = NamedNode
    service, dataset, default = BlankNode(), BlankNode(), BlankNode()
    triples = [
        Triple(service, RDF_TYPE, sd(SD + "Service")),
        Triple(service, sd(SD + "endpoint"), sd(endpoint)),
        Triple(service, sd(SD + "supportedLanguage"), sd(SD + "SPARQL11Query")),
        Triple(service, sd(SD + "feature"), sd(SD + "UnionDefaultGraph")),
        Triple(service, sd(SD + "defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd(SD + "Dataset")),
        Triple(dataset, sd(SD + "defaultGraph"), default),
        Triple(default, RDF_TYPE, sd(SD + "Graph")),
    ]
    if settings.write_token:
        triples.append(Triple(service, sd(SD + "supportedLanguage"), sd(SD + "SPARQL11Update")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG",
                 "N-Quads"):
        triples.append(Triple(service, sd(SD + "resultFormat"), sd(FORMATS + name)))
    for graph in store.graphs():
        named, described = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, sd(SD + "namedGraph"), named),
            Triple(named, sd(SD + "name"), sd(graph.iri)),
            Triple(named, sd(SD + "graph"), described),
            Triple(described, VOID_TRIPLES, Literal(str(graph.triples),
                   datatype=sd("http://www.w3.org/2001/XMLSchema#integer"))),
        ]
    media_type = chosen_type(request, operation, list(GRAPH_TYPES))
    body = write_graph(GraphResult(triples), media_type, settings.max_rows,
                       {"sd": SD, "void": "http://rdfs.org/ns/void#"})
    return Response(body, media_type=content_type(media_type),
                    headers={"Vary": "Accept", "Cache-Control": "no-cache"})


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], summary="SPARQL 1.1 endpoint")
async def sparql(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    started = time.perf_counter()
    operation = Operation()
    outcome: dict[str, object] = {"rows": 0}
    status = 500
    try:
        operation = await read_operation(request, settings)
        if operation.update is not None:
            response = await run_update(request, operation)
        elif operation.query is None:
            response = await anyio.to_thread.run_sync(service_description, request, operation)
        else:
            response = await run_query(request, operation, outcome)
    except ProtocolError as error:
        response = problem_for(error)
    status = response.status_code
    duration = time.perf_counter() - started
    kind = "update" if operation.update is not None else "query"
    if operation.query is not None or operation.update is not None:
        request.app.state.metrics.observe(
            kind, status, duration, rows=int(outcome.get("rows", 0)),  # type: ignore[arg-type]
            timed_out=bool(outcome.get("timed_out")), truncated=bool(outcome.get("truncated")),
        )
        request.app.state.query_log.write(
            operation=kind, method=request.method, status=status,
            duration_ms=round(duration * 1000, 3), rows=outcome.get("rows", 0),
            truncated=bool(outcome.get("truncated")), bytes=len(response.body or b""),
            form=outcome.get("form"), query=(operation.query or operation.update or "")[:2000],
        )
    return response


def serialise(result: QueryResult, media_type: str, settings: Settings) -> bytes | None:
    """The result in ``media_type``, or None when that type cannot carry it."""
    if isinstance(result, GraphResult):
        if media_type not in GRAPH_TYPES:
            return None
        return write_graph(result, media_type, settings.max_rows)
    if media_type not in RESULT_TYPES:
        return None
    return write_results(result, media_type, settings.max_rows)


def evaluate(store: Store, text: str, default_graphs: list[str] | None,
             named_graphs: list[str] | None, settings: Settings,
             media_type: str) -> tuple[QueryResult, bytes | None]:
    """Run the query within the deadline and row cap, and write it when the type fits."""
    result = store.query(text, default_graphs=default_graphs, named_graphs=named_graphs,
                         timeout_s=settings.query_timeout_s, max_rows=settings.max_rows)
    return result, serialise(result, media_type, settings)


async def run_query(request: Request, operation: Operation, outcome: dict[str, object]) -> Response:
    settings: Settings = request.app.state.settings
    store = request.app.state.store
    text = operation.query or ""
    reading = read(text)
    outcome["form"] = reading.form
    if reading.form == "UPDATE":
        raise ProtocolError(400, "Update sent as a query",
                            "send SPARQL Update in the 'update' parameter, with POST",
                            line=reading.line, column=reading.column)
    named = set(operation.default_graphs + operation.named_graphs + reading.from_graphs)
    graphs = await anyio.to_thread.run_sync(local_graphs, request) if named else set()
    try:
        refuse_remote(reading, graphs)
        for graph in operation.default_graphs + operation.named_graphs:
            if graph not in graphs:
                raise RefusedQuery(f"<{graph}> names no graph of this dataset, and this "
                                   "endpoint never fetches a URL for you")
    except RefusedQuery as error:
        raise ProtocolError(400, "Refused: the endpoint does not fetch URLs", str(error)) from None
    available = list(GRAPH_TYPES) if reading.form in ("CONSTRUCT", "DESCRIBE") else list(
        RESULT_TYPES)
    media_type = chosen_type(request, operation, available) if reading.form else ""
    etag = etag_for(store.version, operation, media_type)
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "no-cache",
               "X-Dataset-Version": str(store.version)}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    default_graphs, named_graphs = operation.dataset
    try:
        # One worker hop for the query and its serialisation: under load every hop waits.
        result, body = await anyio.to_thread.run_sync(
            lambda: evaluate(store, text, default_graphs, named_graphs, settings, media_type))
    except QuerySyntaxError as error:
        raise ProtocolError(400, "Malformed query", error.message, line=error.line,
                            column=error.column) from None
    except (QueryTimeout, StoreBusy) as error:
        outcome["timed_out"] = isinstance(error, QueryTimeout)
        failure = ProtocolError(503, "Query timed out" if outcome["timed_out"] else "Busy",
                                str(error), timeout_s=settings.query_timeout_s)
        failure.headers["Retry-After"] = str(settings.retry_after_s)
        raise failure from None
    except StoreError as error:
        raise ProtocolError(400, "Query failed", str(error)) from None
    if body is None:  # the lexer could not tell the form, but the store ran it
        graph = isinstance(result, GraphResult)
        outcome["form"] = "CONSTRUCT" if graph else (
            "ASK" if isinstance(result, AskResult) else "SELECT")
        media_type = chosen_type(request, operation,
                                 list(GRAPH_TYPES) if graph else list(RESULT_TYPES))
        body = await anyio.to_thread.run_sync(serialise, result, media_type, settings)
    if isinstance(result, GraphResult):
        rows, truncated = len(result.triples), result.truncated
    else:
        rows = 1 if isinstance(result, AskResult) else len(result.rows)
        truncated = False if isinstance(result, AskResult) else result.truncated
    outcome["rows"], outcome["truncated"] = rows, truncated
    headers["X-Result-Rows"] = str(rows)
    if truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-SPARQL-MaxRows"] = str(settings.max_rows)
    if request.method == "HEAD":
        return Response(status_code=200, media_type=content_type(media_type), headers=headers)
    return Response(body, media_type=content_type(media_type), headers=headers)


async def run_update(request: Request, operation: Operation) -> Response:
    from kg.web.sparql_writes import apply_update

    authorised(request, request.app.state.settings)
    text = operation.update or ""
    try:
        refuse_remote(read(text), set())
    except RefusedQuery as error:
        raise ProtocolError(400, "Refused: the endpoint does not fetch URLs", str(error)) from None
    return await apply_update(request, text)
