"""The web application: ``create_app(store, settings)``.

Routers of the other web modules (pages, catalogue, describe, dumps, query UI)
are included when their module is present, each exposing a ``router``; they
reach the store and the settings through ``request.app.state``.
"""

from __future__ import annotations

import importlib
import time

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse

from kg.store.base import Store
from kg.web import sparql, sparql_store
from kg.web.settings import Settings
from kg.web.sparql_log import Metrics, QueryLog

OPTIONAL_ROUTERS = (
    "kg.web.pages", "kg.web.catalogue", "kg.web.describe", "kg.web.dumps", "kg.web.queryui",
)
EXPOSED_HEADERS = [
    "ETag", "Retry-After", "X-Result-Rows", "X-Result-Truncated", "X-SPARQL-MaxRows",
    "X-Dataset-Version",
]


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="fiscal-kg",
        description="Chinese departmental budgets and final accounts as linked open data",
        version="0.1.0",
    )
    app.state.store = store
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.query_log = QueryLog(settings.query_log)
    app.state.started = time.time()
    # Reads are open to any origin; no credentials, so a browser cannot carry a token
    # across origins and writes stay with clients that hold it.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "Accept-Language"],
        expose_headers=EXPOSED_HEADERS,
        max_age=3600,
    )
    app.include_router(sparql.router)
    app.include_router(sparql_store.router)

    @app.get("/health", include_in_schema=False)
    def health(request: Request) -> JSONResponse:
        try:
            store.query("ASK { }", timeout_s=5)
        except Exception as error:  # any failure of the store is what health reports
            return JSONResponse({"status": "unavailable", "error": str(error)}, status_code=503)
        return JSONResponse({"status": "ok", "version": store.version,
                             "uptime_s": round(time.time() - app.state.started, 1)})

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> PlainTextResponse:
        return PlainTextResponse(
            app.state.metrics.exposition(store.version),
            media_type="text/plain; version=0.0.4",
        )

    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # a real missing dependency inside the module
                raise
            continue
        app.include_router(module.router)
    return app
