"""SHACL validation of one document graph at a time.

Each document is validated on its own (its graph, the code lists of the codes
it prints and the ontology), so the cost grows linearly with the corpus. The
result is a ``ValidationReport``: the machine ``sh:ValidationReport`` graph,
named ``{base}graph/validation/{doc_id}`` so the store can keep it beside the
document's graph, and the findings a person reads.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyshacl
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH

from kg.graph import iris
from kg.graph.codes import code_list_graph
from kg.graph.mapping import codes_of, graph_of_rows, rows_by_document
from kg.graph.ontology import ontology_graph, rebased
from kg.tables.extract import Extraction

SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One validation result, with where it points in the source."""

    severity: str  # "Violation", "Warning" or "Info"
    check: str  # the label of the shape that found it
    shape: str  # its name: the local name of the node shape (``ChildrenAddUpGap``)
    message: str
    focus: str
    value: str | None
    table: str | None
    line: int | None


@dataclass
class ValidationReport:
    doc_id: str
    graph: Graph  # the sh:ValidationReport, identifier {base}graph/validation/{doc_id}
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (rounding differences are only information)."""
        return not self.violations

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def text(self) -> str:
        """The report a person reads: per severity, what fails, where, by how much."""
        head = (f"{self.doc_id}: {self.count('Violation')} violation(s), "
                f"{self.count('Warning')} warning(s), {self.count('Info')} rounding/info note(s)")
        lines = [head]
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        for finding in sorted(self.findings, key=lambda f: (order[f.severity], f.table or "",
                                                            f.line or 0, f.message)):
            where = f"{finding.table or '-'}:{finding.line}" if finding.line else (
                finding.table or finding.focus)
            lines.append(f"  {finding.severity.upper():9} [{finding.check}] {where}: "
                         f"{finding.message}")
        return "\n".join(lines)


@cache
def shapes_graph(base: str | None = None) -> Graph:
    """Both shape families, under ``base``."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(data=rebased(path.read_text(encoding="utf-8"), iris.base_iri(base)),
                    format="turtle")
    return graph


def validate_document(
    document: Graph,
    codes: Graph,
    doc_id: str,
    base: str | None = None,
) -> ValidationReport:
    """Validate one document's graph beside the code lists of the codes it prints."""
    chosen = iris.base_iri(base)
    data = Graph()
    for part in (document, codes, ontology_graph(chosen)):
        data += part
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(chosen),
        inference="none",
        allow_infos=True,
        allow_warnings=True,
        inplace=True,
    )
    report = Graph(identifier=iris.graph_iri("validation", doc_id, chosen))
    report += results
    report.add((_report_node(report), RDFS.seeAlso, iris.document_iri(doc_id, chosen)))
    return ValidationReport(doc_id, report, list(_findings(report, data, chosen)))


def validate_extraction(extraction: Extraction, base: str | None = None, jobs: int = 1
                        ) -> Iterator[ValidationReport]:
    """Validate every document of ``extraction``, one graph at a time, in document order.

    With ``jobs`` > 1 documents are validated in that many worker processes (each
    document is independent, so the work splits evenly); the reports come back in order.
    """
    documents = [(doc_id, rows) for doc_id, rows in rows_by_document(extraction).items()
                 if rows.get("documents")]
    if jobs <= 1 or len(documents) <= 1:
        for doc_id, rows in documents:
            yield _validate_rows(doc_id, rows, base)
        return
    context = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        work = [(doc_id, rows, base) for doc_id, rows in documents]
        for doc_id, triples, findings, name in pool.map(_validate_in_worker, work):
            graph = Graph(identifier=URIRef(name))
            graph.parse(data=triples, format="nt")
            yield ValidationReport(doc_id, graph, findings)


def _validate_rows(doc_id: str, rows: dict, base: str | None) -> ValidationReport:
    document = graph_of_rows(rows, base)
    codes = code_list_graph(codes_of(rows), base)
    return validate_document(document, codes, doc_id, base)


def _validate_in_worker(work: tuple[str, dict, str | None]
                        ) -> tuple[str, str, list[Finding], str]:
    report = _validate_rows(*work)
    return (report.doc_id, report.graph.serialize(format="nt"), report.findings,
            str(report.graph.identifier))


def _report_node(report: Graph) -> URIRef:
    for node in report.subjects(RDF.type, SH.ValidationReport):
        return node  # type: ignore[return-value]
    raise ValueError("pyshacl returned no sh:ValidationReport")


def _findings(report: Graph, data: Graph, base: str) -> Iterator[Finding]:
    fis = iris.ontology_namespace(base)
    shapes = shapes_graph(base)
    details = set(report.objects(None, SH.detail))  # nested under a result of their own
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if result in details:
            continue
        severity = SEVERITIES.get(report.value(result, SH.resultSeverity), "Violation")
        shape = report.value(result, SH.sourceShape)
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        table, line = _location(data, fis, focus, value)
        label = _shape_label(shapes, shape)
        yield Finding(
            severity=severity,
            check=label,
            shape=_shape_name(shapes, shape),
            message="; ".join(messages) or _default_message(report, result),
            focus=str(focus),
            value=str(value) if value is not None else None,
            table=table,
            line=line,
        )


def _location(data: Graph, fis, *nodes) -> tuple[str | None, int | None]:
    """The table and line of the first node that has them (the value, then the focus)."""
    for node in nodes:
        if not isinstance(node, URIRef):
            continue
        line = data.value(node, fis.sourceLine)
        if line is not None:
            table = data.value(node, fis.table)
            label = data.value(table, RDFS.label) if table is not None else None
            return (str(label) if label is not None else None,
                    int(line.toPython()) if isinstance(line, Literal) else None)
    return None, None


def _shape_label(shapes: Graph, shape) -> str:
    """The label of ``shape``, or of the node shape a property shape belongs to."""
    if shape is None:
        return "shape"
    label = shapes.value(shape, RDFS.label)
    if label is None:
        owner = shapes.value(None, SH.property, shape)
        label = shapes.value(owner, RDFS.label) if owner is not None else None
    return str(label) if label is not None else _local_name(shape)


def _shape_name(shapes: Graph, shape) -> str:
    """The local name of ``shape``, or of the node shape a property shape belongs to."""
    if isinstance(shape, URIRef) or shape is None:
        return _local_name(shape)
    owner = shapes.value(None, SH.property, shape)
    return _local_name(owner if owner is not None else shape)


def _local_name(node) -> str:
    text = str(node) if node is not None else "shape"
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _default_message(report: Graph, result) -> str:
    path = report.value(result, SH.resultPath)
    component = report.value(result, SH.sourceConstraintComponent)
    return f"{_local_name(component)} on {_local_name(path)}"
