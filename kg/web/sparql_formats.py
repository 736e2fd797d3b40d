"""Result formats of the SPARQL endpoint: content negotiation and serialisers.

SELECT/ASK results are written here (JSON, XML, CSV, TSV) from materialised
rows, so a capped result can say so in its body; graphs are written by
Oxigraph's serialisers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from kg.store.base import AskResult, GraphResult, SelectResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Server preference order first: it breaks ties between equally acceptable types.
RESULT_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
)
GRAPH_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/trig": RdfFormat.TRIG,
    "application/n-quads": RdfFormat.N_QUADS,
    "text/plain": RdfFormat.N_TRIPLES,
}
# ``format=`` shorthands, for links and people typing URLs.
FORMAT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
    "turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "trig": "application/trig", "nq": "application/n-quads",
}
TRUNCATION_LINK = "urn:x-fiscal-kg:result-truncated"


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 0 none, 1 */*, 2 type/*, 3 exact."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == kind and self.subtype == "*":
            return 2
        if self.type == kind and self.subtype == sub:
            return 3
        return 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; no header means ``*/*``."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        kind, _, sub = pieces[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def negotiate(accept: str | None, available: Sequence[str]) -> str | None:
    """The available type the client prefers most (q of its most specific range), or None."""
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for preference, media_type in enumerate(available):
        specificity, q = 0, 0.0
        for media_range in ranges:
            found = media_range.matches(media_type)
            if found > specificity:
                specificity, q = found, media_range.q
        if specificity and q > 0:
            rank = (q, -preference)
            if best is None or rank > best:
                best, chosen = rank, media_type
    return chosen


# -- SELECT / ASK --------------------------------------------------------------------


def json_term(term: object) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        found = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    if isinstance(term, Triple):
        return {"type": "triple", "value": json.dumps({  # type: ignore[dict-item]
            "subject": json_term(term.subject), "predicate": json_term(term.predicate),
            "object": json_term(term.object)})}
    raise TypeError(f"not an RDF term: {term!r}")


def results_json(result: SelectResult | AskResult, max_rows: int) -> bytes:
    if isinstance(result, AskResult):
        return json.dumps({"head": {}, "boolean": result.value}).encode()
    variables = result.variables
    head: dict[str, object] = {"vars": variables}
    document: dict[str, object] = {"head": head}
    if result.truncated:
        head["link"] = [f"{TRUNCATION_LINK}?max-rows={max_rows}"]
        document["truncated"] = True
    document["results"] = {"bindings": [
        {name: json_term(value) for name, value in zip(variables, row, strict=True)
         if value is not None}
        for row in result.rows
    ]}
    return json.dumps(document, ensure_ascii=False).encode()


def xml_term(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{escape(term.value)}</literal>")
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def results_xml(result: SelectResult | AskResult, max_rows: int) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>\n']
    if isinstance(result, AskResult):
        out.append(f"</head>\n<boolean>{'true' if result.value else 'false'}</boolean>\n")
        out.append("</sparql>\n")
        return "".join(out).encode()
    for name in result.variables:
        out.append(f"<variable name={quoteattr(name)}/>\n")
    if result.truncated:
        link = f"{TRUNCATION_LINK}?max-rows={max_rows}"
        out.append(f"<link href={quoteattr(link)}/>\n")
    out.append("</head>\n")
    if result.truncated:
        out.append(f"<!-- truncated: only the first {max_rows} rows -->\n")
    out.append("<results>\n")
    for row in result.rows:
        out.append("<result>")
        for name, value in zip(result.variables, row, strict=True):
            if value is not None:
                out.append(f"<binding name={quoteattr(name)}>{xml_term(value)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode()


def csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, NamedNode | Literal):
        return term.value
    return str(term)


def results_csv(result: SelectResult | AskResult, max_rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(result, AskResult):
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.value else "false"])
    else:
        writer.writerow(result.variables)
        writer.writerows([csv_value(value) for value in row] for row in result.rows)
    return buffer.getvalue().encode()


def tsv_term(term: object) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def results_tsv(result: SelectResult | AskResult, max_rows: int) -> bytes:
    if isinstance(result, AskResult):
        return f"?boolean\n{'true' if result.value else 'false'}\n".encode()
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines.extend("\t".join(tsv_term(value) for value in row) for row in result.rows)
    return ("\n".join(lines) + "\n").encode()


RESULT_WRITERS = {
    "application/sparql-results+json": results_json,
    "application/json": results_json,
    "application/sparql-results+xml": results_xml,
    "application/xml": results_xml,
    "text/csv": results_csv,
    "text/tab-separated-values": results_tsv,
}


def write_results(result: SelectResult | AskResult, media_type: str, max_rows: int) -> bytes:
    return RESULT_WRITERS[media_type](result, max_rows)


# -- CONSTRUCT / DESCRIBE ------------------------------------------------------------


def write_graph(
    result: GraphResult, media_type: str, max_rows: int, prefixes: dict[str, str] | None = None
) -> bytes:
    rdf = GRAPH_TYPES[media_type]
    usable = prefixes if rdf in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML) else None
    body = serialize(result.triples, format=rdf, prefixes=usable) or b""
    if not result.truncated:
        return body
    note = f"truncated: only the first {max_rows} triples"
    if rdf == RdfFormat.RDF_XML:
        declaration, newline, rest = body.partition(b"\n")
        return declaration + newline + f"<!-- {note} -->\n".encode() + rest
    if rdf == RdfFormat.JSON_LD:
        return body  # JSON-LD has no comments: the response headers carry the signal
    return f"# {note}\n".encode() + body
