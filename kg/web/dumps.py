"""Dumps: the whole dataset as gzipped N-Quads, and each document's graph as Turtle.

Files live under ``settings.dump_dir/v{version}/`` with a ``manifest.json``
giving each file's size and sha256. They are regenerated on the first request
after the store's ``version`` changes: written into a fresh directory that
becomes visible only when complete, so a download never sees half a dump,
and a dump that straddled a write (the version moved while it ran) is thrown
away and made again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from kg.store.base import Store
from kg.web.render import render
from kg.web.settings import Settings
from kg.web.sparql_formats import negotiate

router = APIRouter(include_in_schema=False)

WHOLE = "fiscal-kg.nq.gz"
MANIFEST = "manifest.json"
ATTEMPTS = 3  # dumps retried when writes keep landing while they are made
_lock = threading.Lock()


@dataclass(frozen=True)
class DumpFile:
    path: str  # relative to the version directory, and to /dumps/
    media_type: str
    bytes: int
    sha256: str
    triples: int
    graph: str | None  # the named graph it holds; None for the whole dataset


@dataclass(frozen=True)
class Manifest:
    version: int
    directory: Path
    files: tuple[DumpFile, ...]

    def file(self, path: str) -> DumpFile | None:
        return next((f for f in self.files if f.path == path), None)


def current_dumps(store: Store, settings: Settings) -> Manifest:
    """The dumps for the store's current version, made now if they are missing or stale."""
    root = Path(settings.dump_dir)
    found = _read_manifest(root, store.version)
    if found:
        return found
    with _lock:
        for _ in range(ATTEMPTS):
            version = store.version
            found = _read_manifest(root, version)
            if found:
                return found
            made = _make(store, settings, root, version)
            if store.version == version:
                _publish(root, made, version)
                return _read_manifest(root, version) or _fail(root, version)
            shutil.rmtree(made, ignore_errors=True)
    raise HTTPException(503, "the data kept changing while the dumps were made; retry shortly",
                        headers={"Retry-After": str(settings.retry_after_s)})


def _fail(root: Path, version: int) -> Manifest:
    raise RuntimeError(f"dump manifest for version {version} missing under {root}")


def _read_manifest(root: Path, version: int) -> Manifest | None:
    directory = root / f"v{version}"
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if data.get("version") != version:
        return None
    return Manifest(version, directory, tuple(DumpFile(**f) for f in data["files"]))


def _make(store: Store, settings: Settings, root: Path, version: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=root, prefix=f".v{version}-"))
    files = [_write_whole(store, work)]
    document_graphs = settings.base_iri + "graph/doc/"
    for graph in store.graphs():
        if graph.iri.startswith(document_graphs):
            doc_id = unquote(graph.iri[len(document_graphs):])
            files.append(_write_graph(store, work, graph.iri, f"doc/{doc_id}.ttl",
                                      graph.triples))
    manifest = {"version": version, "files": [asdict(f) for f in files]}
    (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    return work


def _write_whole(store: Store, work: Path) -> DumpFile:
    digest = hashlib.sha256()
    lines = 0
    target = work / WHOLE
    with open(target, "wb") as raw:
        # mtime=0 and no file name: the same data gives the same bytes and checksum.
        with gzip.GzipFile(filename="", mode="wb", fileobj=_Hashing(raw, digest), mtime=0) as out:
            for chunk in store.dump("nquads"):
                lines += chunk.count(b"\n")
                out.write(chunk)
    return DumpFile(WHOLE, "application/n-quads", target.stat().st_size, digest.hexdigest(),
                    lines, None)


def _write_graph(store: Store, work: Path, graph_iri: str, path: str, triples: int) -> DumpFile:
    digest = hashlib.sha256()
    target = work / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for chunk in store.dump("ttl", graph_iri):
            digest.update(chunk)
            out.write(chunk)
    return DumpFile(path, "text/turtle", target.stat().st_size, digest.hexdigest(),
                    triples, graph_iri)


class _Hashing:
    """A binary file wrapper that hashes what is written through it."""

    def __init__(self, raw, digest) -> None:
        self.raw = raw
        self.digest = digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _publish(root: Path, work: Path, version: int) -> None:
    """Make ``work`` the dumps of ``version``; keep the previous version for running downloads."""
    target = root / f"v{version}"
    if target.exists():
        shutil.rmtree(work, ignore_errors=True)
        return
    os.replace(work, target)
    versions = sorted(int(p.name[1:]) for p in root.glob("v*") if p.name[1:].isdigit())
    for old in versions[:-2]:
        shutil.rmtree(root / f"v{old}", ignore_errors=True)


def dump_url(base: str, file: DumpFile) -> str:
    return base + "dumps/" + quote(file.path)


@router.get("/dumps")
def dumps_page(request: Request) -> Response:
    """The list of dump files (HTML for people, JSON for programs)."""
    store = request.app.state.store
    settings = request.app.state.settings
    manifest = current_dumps(store, settings)
    media = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
    if media == "application/json":
        return JSONResponse({"version": manifest.version, "files": [
            {**asdict(f), "url": "/dumps/" + quote(f.path)} for f in manifest.files]})
    return render(request, "dumps.html", title="Downloads", manifest=manifest,
                  files=[(f, "/dumps/" + quote(f.path)) for f in manifest.files])


@router.get("/dumps/{path:path}")
def dump_file(request: Request, path: str) -> Response:
    store = request.app.state.store
    manifest = current_dumps(store, request.app.state.settings)
    found = manifest.file(path)
    if found is None:
        raise HTTPException(404, f"no dump file {path!r} (see /dumps)")
    headers = {"ETag": f'"{found.sha256}"', "X-Dataset-Version": str(manifest.version)}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    media = "application/gzip" if path.endswith(".gz") else found.media_type
    return FileResponse(manifest.directory / found.path, media_type=media, headers=headers,
                        filename=found.path.rsplit("/", 1)[-1])
