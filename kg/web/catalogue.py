"""The queries of ``sparql/`` as REST endpoints: ``GET /queries/NAME?param=…`` -> JSON or CSV.

Each query gets its own route, so the OpenAPI document lists every one with
its title, description and typed parameters. Queries run under the same
deadline and row cap as ``/sparql``: a query out of time gets 503 with
Retry-After, a capped answer says so in ``X-Result-Truncated``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kg.store.base import QuerySyntaxError, QueryTimeout, SelectResult, StoreBusy, StoreError
from kg.web.queries import CatalogueError, CatalogueQuery, ParameterError, load_catalogue
from kg.web.render import render
from kg.web.sparql_formats import negotiate, write_results

router = APIRouter(tags=["example queries"])
logger = logging.getLogger("kg.web.catalogue")

CATALOGUE_ERRORS: list[CatalogueError] = []
CATALOGUE: list[CatalogueQuery] = load_catalogue(errors=CATALOGUE_ERRORS)
for _error in CATALOGUE_ERRORS:
    logger.warning("query catalogue: %s (not served)", _error)
RESULT_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv"}
OPENAPI_TYPES = {"string": "string", "integer": "integer", "decimal": "number", "iri": "string"}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    """An RFC 9457 problem document."""
    return JSONResponse({"type": "about:blank", "title": title, "status": status,
                         "detail": detail, **extra}, status_code=status,
                        media_type="application/problem+json", headers=headers)


def run_query(request: Request, query: CatalogueQuery) -> Response:
    """Answer, then count and log the query like every query of ``/sparql``."""
    started = time.perf_counter()
    outcome: dict[str, Any] = {}
    response = answer(request, query, outcome)
    duration = time.perf_counter() - started
    request.app.state.metrics.observe(
        "catalogue", response.status_code, duration, rows=outcome.get("rows", 0),
        timed_out=bool(outcome.get("timed_out")), truncated=bool(outcome.get("truncated")))
    request.app.state.query_log.write(
        operation="catalogue", name=query.name, method=request.method,
        status=response.status_code, duration_ms=round(duration * 1000, 3),
        rows=outcome.get("rows", 0), truncated=bool(outcome.get("truncated")),
        bytes=len(response.body or b""), parameters=dict(request.query_params),
        query=outcome.get("query", query.text)[:2000])  # the same fields as /sparql's lines
    return response


def answer(request: Request, query: CatalogueQuery, outcome: dict[str, Any]) -> Response:
    settings = request.app.state.settings
    asked = request.query_params.get("format")
    if asked:
        media = RESULT_TYPES.get(asked)
        if media is None:
            return problem(400, "Unknown format", f"format={asked!r}: use json or csv")
    else:
        media = negotiate(request.headers.get("accept"), [*RESULT_TYPES.values(),
                                                          "application/json"])
        if media is None:
            return Response("Not Acceptable: available as application/sparql-results+json, "
                            "application/json, text/csv\n", status_code=406,
                            media_type="text/plain")
    unknown = sorted(set(request.query_params) - {p.name for p in query.parameters} - {"format"})
    if unknown:
        return problem(400, "Unknown parameter", f"{query.name} has no parameter "
                       f"{', '.join(unknown)}; it takes "
                       f"{', '.join(p.name for p in query.parameters) or 'none'}")
    try:
        text = query.bind(request.query_params, settings.base_iri)
    except ParameterError as error:
        return problem(400, "Bad parameter", str(error), parameter=error.parameter)
    headers = {"Retry-After": str(settings.retry_after_s)}
    outcome["query"] = text
    try:
        result = request.app.state.store.query(
            text, timeout_s=settings.query_timeout_s, max_rows=settings.max_rows)
    except (QueryTimeout, StoreBusy) as error:
        outcome["timed_out"] = isinstance(error, QueryTimeout)
        return problem(503, "Query unavailable", str(error), headers=headers)
    except QuerySyntaxError as error:  # a broken catalogue file: our fault, not the caller's
        return problem(500, "Catalogue query is malformed", error.message,
                       line=error.line, column=error.column)
    except StoreError as error:
        return problem(500, "Store error", str(error))
    if not isinstance(result, SelectResult):
        return problem(500, "Catalogue query is not a SELECT", query.name)
    outcome.update(rows=len(result.rows), truncated=result.truncated)
    body = write_results(result, media, settings.max_rows)
    return Response(body, media_type=media + ("; charset=utf-8" if media == "text/csv" else ""),
                    headers={"X-Result-Rows": str(len(result.rows)),
                             "X-Result-Truncated": "true" if result.truncated else "false",
                             "Vary": "Accept"})


def endpoint_for(query: CatalogueQuery) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        return run_query(request, query)

    endpoint.__name__ = "query_" + query.name.replace("-", "_")
    return endpoint


def openapi_parameters(query: CatalogueQuery) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = []
    for parameter in query.parameters:
        schema: dict[str, Any] = {"type": OPENAPI_TYPES[parameter.type]}
        if parameter.type == "iri":
            schema["format"] = "uri"
        if parameter.default is not None:
            schema["default"] = parameter.default
        parameters.append({
            "name": parameter.name, "in": "query", "required": False, "schema": schema,
            "description": parameter.description
            + ("" if parameter.default is not None else " (leave out: any value)"),
        })
    parameters.append({"name": "format", "in": "query", "required": False,
                       "schema": {"type": "string", "enum": list(RESULT_TYPES)},
                       "description": "json or csv; otherwise chosen by Accept"})
    return parameters


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "SPARQL results",
          "content": {"application/sparql-results+json": {}, "text/csv": {}}},
    400: {"description": "A parameter value that does not fit its type"},
    503: {"description": "Out of time or busy; retry after Retry-After seconds"},
}

for _query in CATALOGUE:
    router.add_api_route(
        f"/queries/{_query.name}", endpoint_for(_query), methods=["GET"],
        summary=_query.title, description=_query.description,
        operation_id="query_" + _query.name.replace("-", "_"),
        openapi_extra={"parameters": openapi_parameters(_query)}, responses=RESPONSES,
    )


def listed(query: CatalogueQuery) -> dict[str, Any]:
    return {
        "name": query.name, "title": query.title, "description": query.description,
        "url": f"/queries/{query.name}",
        "parameters": [{"name": p.name, "type": p.type, "default": p.default,
                        "description": p.description} for p in query.parameters],
        "query": query.text,
    }


@router.get("/queries", summary="The example queries", include_in_schema=True)
def catalogue_page(request: Request) -> Response:
    """Every example query: HTML for browsers, JSON for programs."""
    media = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
    if media == "application/json":
        return JSONResponse([listed(query) for query in CATALOGUE])
    return render(request, "queries.html", title="Example queries", queries=CATALOGUE)
