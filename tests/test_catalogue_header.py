"""The ``.rq`` header format of sparql/README.md: parsing, errors, and parameter binding."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.web.queries import (
    CatalogueError,
    ParameterError,
    load_catalogue,
    parse_query_file,
)

QUERY = """\
# title: Totals by year
# description: The total of each document,
# description: per year.
# param: year integer * Only this year.
# param: name string 番禺区 A district name.
# A plain comment: ignored.
PREFIX ex: <http://example.org/>
SELECT ?doc ?total WHERE {
  ?doc ex:year $year ; ex:total ?total ; ex:district ?d .
  FILTER(str(?d) = $name)
}
"""


def write(tmp_path: Path, text: str, name: str = "totals-by-year") -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_header_fields(tmp_path: Path) -> None:
    query = parse_query_file(write(tmp_path, QUERY))
    assert query.name == "totals-by-year"
    assert query.title == "Totals by year"
    assert query.description == "The total of each document, per year."
    assert [(p.name, p.type, p.default) for p in query.parameters] == [
        ("year", "integer", None), ("name", "string", "番禺区")]
    assert query.parameters[0].description == "Only this year."
    assert query.expect_rows


def test_binding_defaults_and_values(tmp_path: Path) -> None:
    query = parse_query_file(write(tmp_path, QUERY))
    unbound = query.bind({})
    assert "ex:year $year" in unbound  # "*": stays a variable, matches anything
    assert '= "番禺区")' in unbound
    bound = query.bind({"year": "2023", "name": "白云区"})
    assert "ex:year 2023 ;" in bound and '= "白云区")' in bound
    pyoxigraph.Store().query(bound)  # still a valid query


def test_string_values_cannot_escape_their_literal(tmp_path: Path) -> None:
    query = parse_query_file(write(tmp_path, QUERY))
    hostile = '") } ; DROP ALL ; SELECT * { ?s ?p ?o FILTER("'
    bound = query.bind({"name": hostile})
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(
        pyoxigraph.NamedNode("http://example.org/d"), pyoxigraph.NamedNode("http://example.org/year"),
        pyoxigraph.Literal("2023"), pyoxigraph.DefaultGraph()))
    assert list(store.query(bound)) == []  # parsed as one query with one odd string
    assert len(store) == 1


@pytest.mark.parametrize(("kind", "value"), [
    ("integer", "20x3"), ("integer", "1 } ."), ("decimal", "1e5"),
    ("iri", "http://e.org/a> } ; <x"), ("iri", "file:///etc/passwd"), ("iri", "relative"),
])
def test_values_that_do_not_fit_their_type_are_refused(
    tmp_path: Path, kind: str, value: str
) -> None:
    text = QUERY.replace("# param: year integer *", f"# param: year {kind} *")
    query = parse_query_file(write(tmp_path, text))
    with pytest.raises(ParameterError, match="year"):
        query.bind({"year": value})


@pytest.mark.parametrize(("edit", "message", "line"), [
    (lambda t: t.replace("# title: Totals by year\n", ""), "no '# title:'", 1),
    (lambda t: t.replace("# param: year integer *", "# param: year number *"), "type", 4),
    (lambda t: t.replace("# param: year integer * Only this year.", "# param: year integer"),
     "NAME TYPE", 4),
    (lambda t: t.replace("# param: year integer *", "# param: year integer x"), "default", 4),
    (lambda t: t.replace("# param: name string", "# param: year string"), "twice", 5),
    (lambda t: t.replace("# title: Totals by year", "# title: A\n# title: B"), "second", 2),
    (lambda t: t.replace("ex:year $year", "ex:year ?y"), "never used", 1),
    (lambda t: t.replace("?doc ex:year $year", "?doc ex:year $year, ?year"), r"\?year is the", 9),
])
def test_header_errors_name_file_and_line(tmp_path: Path, edit, message: str, line: int) -> None:
    path = write(tmp_path, edit(QUERY))
    with pytest.raises(CatalogueError, match=message) as caught:
        parse_query_file(path)
    assert caught.value.path == path and caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_the_server_skips_a_broken_file_and_says_which(tmp_path: Path) -> None:
    write(tmp_path, QUERY)
    broken = write(tmp_path, QUERY.replace("# title: Totals by year\n", ""), name="broken")
    errors: list[CatalogueError] = []
    assert [q.name for q in load_catalogue(tmp_path, errors)] == ["totals-by-year"]
    assert [error.path for error in errors] == [broken]
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path)


def test_bad_file_name(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="file name"):
        parse_query_file(write(tmp_path, QUERY, name="Totals_By_Year"))


def test_the_project_catalogue_parses() -> None:
    queries = load_catalogue()
    assert len(queries) >= 10
    assert len({query.name for query in queries}) == len(queries)
