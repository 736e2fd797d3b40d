"""``kg serve``: the store over HTTP with uvicorn."""

from __future__ import annotations

import argparse
import os

from kg.store.base import Store
from kg.web.settings import Settings


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("serving")
    group.add_argument("--host", default="127.0.0.1", help="address to listen on")
    group.add_argument("--port", type=int, default=8000)
    group.add_argument("--query-timeout", type=float, default=None, dest="query_timeout_s",
                       help="seconds a query may run before 503 (default 30)")
    group.add_argument("--max-rows", type=int, default=None,
                       help="rows/triples a result may carry (default 100000)")
    group.add_argument("--query-log", default=None,
                       help="JSON-lines query log file (default: stderr)")
    group.add_argument("--dump-dir", default=None, help="where dumps are written")
    group.add_argument("--on-disk", action="store_true",
                       help="answer from the store directory instead of an in-memory copy "
                            "(for data larger than memory; 3-5x slower queries)")


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment (KG_*), overridden by the command line.

    The write token is read from ``KG_WRITE_TOKEN`` only, never from the command
    line, where other users of the machine could read it.
    """
    from pathlib import Path

    return Settings.from_env(
        base_iri=getattr(args, "base", None),
        query_timeout_s=args.query_timeout_s,
        max_rows=args.max_rows,
        query_log=Path(args.query_log) if args.query_log else None,
        dump_dir=Path(args.dump_dir) if args.dump_dir else None,
    )


def serve_store(store: Store, args: argparse.Namespace) -> int:
    import uvicorn

    from kg.web.app import create_app

    settings = settings_from(args)
    app = create_app(store, settings)
    mode = "read-write with KG_WRITE_TOKEN" if settings.write_token else "read-only"
    print(f"serving {settings.base_iri} data at http://{args.host}:{args.port}/ ({mode})",
          flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info",
                    access_log=False, timeout_graceful_shutdown=10)
    finally:
        store.close()
    return 0


def serve(args: argparse.Namespace) -> int:
    from kg.store import DEFAULT_STORE_DIR
    from kg.store.command import store_from

    if args.store_url is None and not os.path.isdir(args.store_dir or DEFAULT_STORE_DIR):
        print("kg serve: no store yet; run 'kg build' first (or give --store-dir/--store-url)")
        return 2
    return serve_store(store_from(args, serving=True), args)


def register(commands: argparse._SubParsersAction) -> None:
    from kg.store.command import add_store_options

    server = commands.add_parser("serve", help="serve the store: SPARQL endpoint and pages")
    add_store_options(server)
    server.add_argument("--base", default=None, help="base IRI the graph was minted under")
    add_serve_options(server)
    server.set_defaults(run=serve)
