"""The query catalogue in ``sparql/``: each ``.rq`` file's header, and binding its parameters.

The header format is documented in ``sparql/README.md``. Binding replaces each
``$name`` variable with an RDF term built from a value checked against the
parameter's type, so a request can fill in a value but never change the
query's shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.graph.iris import DEFAULT_BASE

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "sparql"

PARAMETER_TYPES = ("string", "integer", "decimal", "iri")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PARAMETER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER_LINE = re.compile(r"^#\s*(title|description|param|expect)\s*:\s*(.*?)\s*$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")


class CatalogueError(ValueError):
    """A query file whose header is wrong; names the file and the line."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


class ParameterError(ValueError):
    """A request value that does not fit its parameter's type."""

    def __init__(self, parameter: str, value: str, reason: str) -> None:
        self.parameter = parameter
        self.value = value
        super().__init__(f"parameter {parameter!r}: {value!r} {reason}")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None  # None: unbound, matches anything
    description: str

    def term(self, value: str) -> str:
        """``value`` as a SPARQL term of this parameter's type, or ParameterError."""
        if self.type == "string":
            return '"' + _escape_string(value) + '"'
        if self.type == "integer":
            if not _INTEGER.match(value):
                raise ParameterError(self.name, value, "is not an integer")
            return str(int(value))
        if self.type == "decimal":
            if not _DECIMAL.match(value):
                raise ParameterError(self.name, value, "is not a decimal number")
            return value if "." in value else value + ".0"
        if not _IRI.match(value):
            raise ParameterError(self.name, value, "is not an absolute http(s) IRI")
        return f"<{value}>"


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    expect_rows: bool

    def bind(self, values: Mapping[str, str], base: str = DEFAULT_BASE) -> str:
        """The query text with each given (or defaulted) parameter replaced by its term.

        IRIs are written under the default base in the files; ``base`` moves them
        under the base the server's data was minted with.
        """
        text = self.text if base == DEFAULT_BASE else self.text.replace(
            "<" + DEFAULT_BASE, "<" + base)
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                continue
            term = parameter.term(value)
            text = re.sub(
                r"\$" + re.escape(parameter.name) + r"(?![A-Za-z0-9_])",
                lambda _match, term=term: term,
                text,
            )
        return text


def _escape_string(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace('"', '\\"')
        .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )


def parse_query_file(path: Path) -> CatalogueQuery:
    """One ``.rq`` file: its header checked, its body kept as written."""
    name = path.stem
    if not _NAME.match(name):
        raise CatalogueError(path, 1, f"file name {name!r}: use lower case letters, digits, '-'")
    text = path.read_text(encoding="utf-8")
    title: str | None = None
    descriptions: list[str] = []
    parameters: list[Parameter] = []
    expect_rows = True
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        match = _HEADER_LINE.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            if title is not None:
                raise CatalogueError(path, number, "a second '# title:'")
            title = value
        elif key == "description":
            descriptions.append(value)
        elif key == "expect":
            if value not in ("rows", "any"):
                raise CatalogueError(path, number, f"'# expect:' is 'rows' or 'any', not {value!r}")
            expect_rows = value == "rows"
        else:
            parameters.append(_parse_parameter(path, number, value, parameters))
    if not title:
        raise CatalogueError(path, 1, "no '# title:' line in the header")
    if not descriptions:
        raise CatalogueError(path, 1, "no '# description:' line in the header")
    for parameter in parameters:
        if not re.search(r"\$" + re.escape(parameter.name) + r"(?![A-Za-z0-9_])", text):
            raise CatalogueError(path, 1, f"parameter {parameter.name!r} never used as "
                                          f"${parameter.name} in the query")
        # ?x and $x are one variable in SPARQL: an unbound parameter would join with it.
        body = re.sub(r"(?m)^\s*#.*$", "", text)  # comments may show URLs like ?year=2023
        clash = re.search(r"\?" + re.escape(parameter.name) + r"(?![A-Za-z0-9_])", body)
        if clash:
            raise CatalogueError(path, body.count("\n", 0, clash.start()) + 1,
                                 f"?{parameter.name} is the parameter ${parameter.name}; "
                                 "give the query's own variable another name")
    return CatalogueQuery(
        name=name, title=title, description=" ".join(descriptions),
        parameters=tuple(parameters), text=text, expect_rows=expect_rows,
    )


def _parse_parameter(
    path: Path, number: int, value: str, earlier: list[Parameter]
) -> Parameter:
    fields = value.split(maxsplit=3)
    if len(fields) < 3:
        raise CatalogueError(path, number, "'# param:' needs NAME TYPE DEFAULT [description]")
    name, kind, default = fields[:3]
    if not _PARAMETER_NAME.match(name):
        raise CatalogueError(path, number, f"parameter name {name!r}: use [a-z][a-z0-9_]*")
    if kind not in PARAMETER_TYPES:
        raise CatalogueError(path, number, f"parameter type {kind!r}: one of {PARAMETER_TYPES}")
    if any(parameter.name == name for parameter in earlier):
        raise CatalogueError(path, number, f"parameter {name!r} declared twice")
    parameter = Parameter(name, kind, None if default == "*" else default,
                          fields[3] if len(fields) > 3 else "")
    if parameter.default is not None:
        try:
            parameter.term(parameter.default)
        except ParameterError as error:
            raise CatalogueError(path, number, f"default {error}") from error
    return parameter


def load_catalogue(directory: Path = CATALOGUE_DIR,
                   errors: list[CatalogueError] | None = None) -> list[CatalogueQuery]:
    """Every query of ``directory``, sorted by name.

    A file with a header error raises ``CatalogueError``; when ``errors`` is
    given, the error is put there instead and the other files still load (the
    server keeps serving the good queries; the tests insist on all of them).
    """
    queries = []
    for path in sorted(directory.glob("*.rq")):
        try:
            queries.append(parse_query_file(path))
        except CatalogueError as error:
            if errors is None:
                raise
            errors.append(error)
    return queries
