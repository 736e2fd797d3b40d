"""What an operator can configure about the web layer, in one immutable object.

``create_app`` puts it on ``app.state.settings``; routers read it from there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.graph.iris import base_iri as default_base_iri


@dataclass(frozen=True)
class Settings:
    # The IRI prefix the graph mints under; resource pages answer for IRIs below it.
    base_iri: str = field(default_factory=default_base_iri)
    # A query that has not produced its whole result by then gets 503 + Retry-After.
    query_timeout_s: float = 30.0
    # Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a response may carry; more is signalled.
    max_rows: int = 100_000
    # Bearer token that unlocks SPARQL Update and Graph Store writes; None: read-only.
    write_token: str | None = None
    # Where the dump files are written and served from.
    dump_dir: Path = Path("var/dumps")
    # JSON-lines query log; None: the ``kg.web.query`` logger on stderr.
    query_log: Path | None = None
    # Seconds suggested to clients in Retry-After when a query timed out or workers are busy.
    retry_after_s: int = 5
    # Largest request body accepted (queries, updates, Graph Store uploads).
    max_body_bytes: int = 16 * 1024 * 1024
    # Validate writes with the SHACL shapes before committing them.
    validate_writes: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``KG_*`` environment variables, then ``overrides`` (None ignored)."""
        values: dict[str, object] = {}
        env = os.environ
        if "KG_BASE_IRI" in env:
            values["base_iri"] = default_base_iri(env["KG_BASE_IRI"])
        if "KG_QUERY_TIMEOUT" in env:
            values["query_timeout_s"] = float(env["KG_QUERY_TIMEOUT"])
        if "KG_MAX_ROWS" in env:
            values["max_rows"] = int(env["KG_MAX_ROWS"])
        if env.get("KG_WRITE_TOKEN"):
            values["write_token"] = env["KG_WRITE_TOKEN"]
        if "KG_DUMP_DIR" in env:
            values["dump_dir"] = Path(env["KG_DUMP_DIR"])
        if env.get("KG_VALIDATE_WRITES", "1") in ("0", "false", "no"):
            values["validate_writes"] = False
        if "KG_QUERY_LOG" in env:
            values["query_log"] = Path(env["KG_QUERY_LOG"])
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
