"""What the store says about one IRI: its statements, who links to it, and the labels to show.

Everything goes through ``Store.query`` so a page reads the same data the
SPARQL endpoint serves, from the embedded store or a remote one alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from kg.store.base import GraphResult, SelectResult, Store, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "https://schema.org/name",
)
COMMENT_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.org/dc/terms/description",
)
# Statements a page lists (a resource with more is shown in part, and says so).
MAX_STATEMENTS = 2000


@dataclass
class Description:
    iri: str
    statements: list[tuple[NamedNode, Term]]  # (property, value), outgoing
    incoming: list[tuple[Term, NamedNode]]  # (subject, property), one page
    incoming_total: int
    labels: dict[str, list[Literal]] = field(default_factory=dict)  # IRI -> its labels
    truncated: bool = False
    classes: set[str] = field(default_factory=set)  # its types and all their superclasses

    @property
    def exists(self) -> bool:
        return bool(self.statements or self.incoming_total)

    def values(self, property_iri: str) -> list[Term]:
        return [value for prop, value in self.statements if prop.value == property_iri]

    def types(self) -> list[str]:
        return [value.value for value in self.values(RDF_TYPE) if isinstance(value, NamedNode)]


def describe(store: Store, iri: str, *, page: int = 1, page_size: int = 50,
             timeout_s: float | None = None,
             naming: tuple[str, str, str] | None = None) -> Description:
    """The description of ``iri`` with incoming links page ``page`` (1-based).

    ``naming`` is (item, measure, table) properties: an unlabelled resource with an
    item (else a table) gets the label "item · measure" (an amount is named by what
    it counts).
    """
    node = NamedNode(iri)
    outgoing = _select(store, f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} ORDER BY ?p ?o",
                       timeout_s, MAX_STATEMENTS)
    statements = [(row[0], row[1]) for row in outgoing.rows]
    counted = _select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ "
                             f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} }} }}", timeout_s)
    incoming_total = int(counted.rows[0][0].value) if counted.rows else 0
    offset = max(page - 1, 0) * page_size
    linked = _select(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} }} ORDER BY ?p ?s "
                            f"LIMIT {page_size} OFFSET {offset}", timeout_s)
    incoming = [(row[0], row[1]) for row in linked.rows]
    description = Description(iri, statements, incoming, incoming_total,
                              truncated=outgoing.truncated)
    supers = _select(store, f"SELECT DISTINCT ?c WHERE {{ {node} a ?t . "
                            f"?t <{SUBCLASS_OF}>* ?c }}", timeout_s)
    description.classes = {row[0].value for row in supers.rows if isinstance(row[0], NamedNode)}
    named = {iri}
    for prop, value in statements:
        named.add(prop.value)
        if isinstance(value, NamedNode):
            named.add(value.value)
    for subject, prop in incoming:
        named.add(prop.value)
        if isinstance(subject, NamedNode):
            named.add(subject.value)
    description.labels = labels(store, named, timeout_s)
    if naming:
        unnamed = named - description.labels.keys()
        description.labels.update(derived_labels(store, unnamed, *naming, timeout_s=timeout_s))
    return description


def labels(store: Store, iris: Iterable[str], timeout_s: float | None = None,
           ) -> dict[str, list[Literal]]:
    """Every label (in every language) of each IRI that has one."""
    found: dict[str, list[Literal]] = defaultdict(list)
    wanted = sorted(set(iris))
    properties = " ".join(str(NamedNode(p)) for p in LABEL_PROPERTIES)
    for start in range(0, len(wanted), 400):
        values = " ".join(str(NamedNode(i)) for i in wanted[start:start + 400])
        result = _select(store, f"SELECT DISTINCT ?s ?label WHERE {{ VALUES ?s {{ {values} }} "
                                f"VALUES ?p {{ {properties} }} ?s ?p ?label }}", timeout_s)
        for subject, label in result.rows:
            if isinstance(label, Literal):
                found[subject.value].append(label)
    return dict(found)


def derived_labels(store: Store, iris: Iterable[str], item_property: str,
                   measure_property: str, table_property: str,
                   timeout_s: float | None = None) -> dict[str, list[Literal]]:
    """Labels "item · measure" (one per language of the measure's labels) for ``iris``;
    the name of the table stands in for the item of a table's printed total."""
    wanted = sorted(set(iris))
    items: dict[str, str] = {}
    measures: dict[str, list[Literal]] = defaultdict(list)
    label = NamedNode(LABEL_PROPERTIES[0])
    for start in range(0, len(wanted), 400):
        values = " ".join(str(NamedNode(i)) for i in wanted[start:start + 400])
        # Simple patterns, each anchored on the VALUES: fast on a large store.
        for subject, item in _select(store, f"SELECT ?s ?item WHERE {{ VALUES ?s {{ {values} }} "
                                            f"?s {NamedNode(item_property)} ?item }}",
                                     timeout_s).rows:
            items.setdefault(subject.value, item.value)
        for subject, table in _select(store, f"SELECT ?s ?table WHERE {{ VALUES ?s "
                                             f"{{ {values} }} ?s {NamedNode(table_property)} ?t "
                                             f". ?t {label} ?table }}", timeout_s).rows:
            items.setdefault(subject.value, table.value)
        for subject, measure in _select(store, f"SELECT DISTINCT ?s ?measure WHERE {{ VALUES ?s "
                                               f"{{ {values} }} ?s {NamedNode(measure_property)} "
                                               f"?m . ?m {NamedNode(LABEL_PROPERTIES[1])} "
                                               f"?measure }}", timeout_s).rows:
            measures[subject.value].append(measure)
    found: dict[str, list[Literal]] = {}
    for subject, item in items.items():
        named = [Literal(f"{item} · {m.value}", language=m.language) if m.language
                 else Literal(f"{item} · {m.value}") for m in measures.get(subject, [])]
        found[subject] = named or [Literal(item)]
    return found


def statements_graph(store: Store, iri: str, timeout_s: float | None = None) -> GraphResult:
    """The triples a machine-readable representation of ``iri`` carries: what it says, and
    the labels of what it links to, so the document reads on its own."""
    node = NamedNode(iri)
    properties = " ".join(str(NamedNode(p)) for p in LABEL_PROPERTIES)
    result = store.query(
        f"CONSTRUCT {{ {node} ?p ?o . ?o ?lp ?label }} WHERE {{ {node} ?p ?o "
        f"OPTIONAL {{ VALUES ?lp {{ {properties} }} ?o ?lp ?label }} }}",
        timeout_s=timeout_s,
    )
    if not isinstance(result, GraphResult):  # a bug here, not bad input
        raise TypeError("expected a graph from CONSTRUCT")
    return result


def unique_triples(triples: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))


def _select(store: Store, sparql: str, timeout_s: float | None,
            max_rows: int | None = None) -> SelectResult:
    result = store.query(sparql, timeout_s=timeout_s, max_rows=max_rows)
    if not isinstance(result, SelectResult):  # a bug here, not bad input
        raise TypeError(f"expected SELECT results for {sparql!r}")
    return result
