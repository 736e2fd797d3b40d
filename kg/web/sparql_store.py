"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

GET and HEAD are public; PUT (replace), POST (merge) and DELETE need the write
token, and PUT/POST content is SHACL-validated before it is committed. Every
document's facts live in a named graph, so ``?default`` is readable (the union
of all graphs) but not writable.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request, Response
from pyoxigraph import RdfFormat, parse

from kg.store.base import Store, StoreError
from kg.web.settings import Settings
from kg.web.sparql import (
    Operation,
    ProtocolError,
    authorised,
    chosen_type,
    content_type,
    media_type_of,
    problem_for,
    read_body,
)
from kg.web.sparql_formats import GRAPH_TYPES, write_graph
from kg.web.sparql_writes import (
    ValidationFailed,
    checked_replace,
    construct_graph,
    failure_response,
)

router = APIRouter()


def target(request: Request) -> str | None:
    """The graph IRI of ``?graph=``, or None for ``?default``."""
    params = request.query_params
    if "graph" in params and "default" in params:
        raise ProtocolError(400, "Graph and default", "give either graph= or default")
    if "graph" in params:
        return params["graph"]
    if "default" in params:
        return None
    raise ProtocolError(400, "No graph named", "give ?graph=IRI or ?default")


@router.api_route("/store", methods=["GET", "HEAD"], summary="Graph Store Protocol: read")
async def read_graph(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    try:
        graph_iri = target(request)
        media_type = chosen_type(request, Operation(), list(GRAPH_TYPES))
        if graph_iri is not None and graph_iri not in {
            graph.iri for graph in await anyio.to_thread.run_sync(store.graphs)
        }:
            raise ProtocolError(404, "No such graph", f"the dataset holds no graph <{graph_iri}>")
    except ProtocolError as error:
        return problem_for(error)
    result = await anyio.to_thread.run_sync(construct_graph, store, graph_iri)
    body = await anyio.to_thread.run_sync(write_graph, result, media_type, settings.max_rows)
    headers = {"Vary": "Accept", "X-Dataset-Version": str(store.version)}
    if request.method == "HEAD":
        return Response(status_code=200, media_type=content_type(media_type), headers=headers)
    return Response(body, media_type=content_type(media_type), headers=headers)


@router.api_route("/store", methods=["PUT", "POST", "DELETE"],
                  summary="Graph Store Protocol: write (bearer token)")
async def write_graph_store(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    try:
        authorised(request, settings)
        graph_iri = target(request)
        if graph_iri is None:
            raise ProtocolError(400, "Default graph is read-only",
                                "every fact belongs to a document's named graph: give ?graph=")
        existed = graph_iri in {graph.iri for graph in
                                await anyio.to_thread.run_sync(store.graphs)}
        if request.method == "DELETE":
            if not existed:
                raise ProtocolError(404, "No such graph", f"no graph <{graph_iri}>")
            await anyio.to_thread.run_sync(store.drop_graph, graph_iri)
            return Response(status_code=204)
        body = await read_body(request, settings)
        rdf = RdfFormat.from_media_type(media_type_of(request))
        if rdf is None or rdf.supports_datasets:
            raise ProtocolError(415, "Unsupported Media Type",
                                "send the graph as Turtle, N-Triples, RDF/XML or JSON-LD",
                                accepted=[t for t, f in GRAPH_TYPES.items()
                                          if not f.supports_datasets])
        try:
            triples = [quad.triple for quad in parse(body, format=rdf, base_iri=graph_iri)]
        except SyntaxError as error:
            raise ProtocolError(400, "Malformed RDF", str(error)) from None
        merge = request.method == "POST"
        await anyio.to_thread.run_sync(
            lambda: checked_replace(store, graph_iri, triples, settings.base_iri,
                                    settings.validate_writes, merge))
    except ProtocolError as error:
        return problem_for(error)
    except (ValidationFailed, StoreError, ImportError) as error:
        return failure_response(error)
    return Response(status_code=204 if existed else 201)
