"""The YASGUI query page: served from this server only, with every catalogue query in a tab."""

from __future__ import annotations

import json
import shutil
import subprocess

import httpx
import pytest
from test_pages_support import read_page

from kg.web.queries import load_catalogue


@pytest.fixture(scope="module")
def page(live_server):
    response = httpx.get(f"{live_server.url}/query", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return read_page(response.text)


def test_the_page_uses_only_local_assets(live_server, page) -> None:
    assets = page.script_sources + page.stylesheets
    assert "/static/vendor/yasgui/yasgui.min.js" in assets
    assert "/static/vendor/yasgui/yasgui.min.css" in assets
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets)
    for asset in assets:
        response = httpx.get(live_server.url + asset)
        assert response.status_code == 200
        assert len(response.content) > 1000
    script = httpx.get(f"{live_server.url}/static/vendor/yasgui/yasgui.min.js")
    assert "javascript" in script.headers["content-type"] and b"Yasgui" in script.content
    assert httpx.get(f"{live_server.url}/static/../pyproject.toml").status_code == 404


def test_every_catalogue_query_is_preloaded(page) -> None:
    (examples,) = [json.loads(body) for kind, body in page.scripts if kind == "application/json"]
    queries = load_catalogue()
    assert [tab["id"] for tab in examples] == [query.name for query in queries]
    assert [tab["name"] for tab in examples] == [query.title for query in queries]
    by_name = {tab["id"]: tab["query"] for tab in examples}
    # defaults are filled in, "*" parameters stay variables
    assert 'FILTER(str(?notation) = "201")' in by_name["amounts-of-a-code"]
    assert "COALESCE($year" in by_name["documents"]


def test_yasgui_runs_in_a_browser_with_the_tabs(live_server) -> None:
    browser = shutil.which("chromium")
    assert browser, "chromium is needed (scripts/setup.d/yasgui.sh installs it)"
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--virtual-time-budget=5000", "--dump-dom",
         f"{live_server.url}/query"],
        capture_output=True, text=True, timeout=90, check=True,
    ).stdout
    rendered = read_page(dom)
    titles = [query.title for query in load_catalogue()]
    assert all(title in rendered.text for title in titles)
    assert dom.count('role="tab"') == len(titles)
    assert 'class="CodeMirror' in dom  # the query editor was built
