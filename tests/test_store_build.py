"""kg build / kg load / kg serve from the command line, on real corpus documents."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import rdflib

from kg.store.command import keep_codes_of_other_documents
from kg.store.embedded import EmbeddedStore

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
BASE = "http://localhost:8000/"
CODES = f"{BASE}graph/codes"


def kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_building_one_document_keeps_the_codes_the_others_print():
    store = EmbeddedStore()
    store.replace_graph(CODES, [(rdflib.URIRef(f"{BASE}id/code/function/2010301"),
                                 rdflib.SKOS.notation, rdflib.Literal("2010301"))])
    dataset = rdflib.Dataset()
    dataset.graph(rdflib.URIRef(CODES)).add((rdflib.URIRef(f"{BASE}id/code/function/201"),
                                             rdflib.SKOS.notation, rdflib.Literal("201")))
    keep_codes_of_other_documents(store, dataset, BASE)
    store.load(dataset)
    notations = store.query(f"SELECT ?n WHERE {{ GRAPH <{CODES}> {{ ?c ?p ?n }} }} ORDER BY ?n")
    assert [row[0].value for row in notations.rows] == ["201", "2010301"]  # type: ignore


def test_kg_build_then_kg_serve(tmp_path, port):
    document = CORPUS / "qingyuan-qingxin-2023-budget.txt"
    built = kg("build", str(document), "--skip-validation", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "graph/doc/qingyuan-qingxin-2023-budget" in built.stderr
    assert (tmp_path / "var" / "store" / "version").read_text().strip() != "0"
    missing = kg("build", str(tmp_path / "nothing.txt"), cwd=tmp_path)
    assert missing.returncode == 2 and "nothing.txt" in missing.stderr

    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{url}/health")
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        answer = httpx.get(f"{url}/sparql", params={
            "query": "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/identifier> "
                     "'qingyuan-qingxin-2023-budget' ; <http://purl.org/dc/terms/title> ?t }"})
        assert answer.status_code == 200
        assert answer.json()["results"]["bindings"][0]["t"]["value"].startswith("2023")
        # Read-only: no token in the environment.
        update = httpx.post(f"{url}/sparql", data={"update": "CLEAR ALL"},
                            headers={"Authorization": "Bearer anything"})
        assert update.status_code == 403
    finally:
        server.terminate()
        server.wait(timeout=30)
