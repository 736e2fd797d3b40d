"""The query page: YASGUI served from this server (so it works offline), examples preloaded.

YASGUI's files are installed from the npm registry by ``scripts/setup.d/yasgui.sh``
into ``kg/web/static/vendor/yasgui/``; each query of ``sparql/`` opens in a tab
of its own, with its default parameters filled in.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from kg.web.catalogue import CATALOGUE
from kg.web.render import STATIC, render

router = APIRouter(include_in_schema=False)

YASGUI = STATIC / "vendor" / "yasgui"


def preloaded_tabs(base: str) -> str:
    """The catalogue as YASGUI tab configurations, as JSON safe inside a script element."""
    tabs = [{"id": query.name, "name": query.title, "query": query.bind({}, base)}
            for query in CATALOGUE]
    return json.dumps(tabs, ensure_ascii=False).replace("</", "<\\/")


@router.get("/query")
def query_page(request: Request) -> Response:
    if not (YASGUI / "yasgui.min.js").is_file():
        raise HTTPException(503, "the query page is not installed: run scripts/setup "
                                 "(scripts/setup.d/yasgui.sh)")
    tabs = preloaded_tabs(request.app.state.settings.base_iri)
    return render(request, "query.html", title="SPARQL", tabs=tabs)
