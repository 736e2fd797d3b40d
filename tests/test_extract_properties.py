"""Property: the values extracted do not depend on how numbers are printed or
how names wrap. The table is panyu 2023's 一般公共预算支出情况表 (lines 253-288)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.tables.extract import extract_documents

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SOURCE = (CORPUS / "guangzhou-panyu-2023-budget.txt").read_text(encoding="utf-8").split("\n")
HEADER = [
    "2023年",
    "",
    "广州市番禺区政务服务数据管理局部门预算",
    "",
    "目录",
    "",
    "一般公共预算支出情况表 (按功能分类科目)",
    "",
    "单位名称: 广州市番禺区政务服务数据管理局",
    "",
    "功能科目名称\t\t一般公共预算支出\t",
    "切能符日石柳\t小计\t其中:基本支出\t项目支出",
]
ROW = re.compile(r"^(\[\d+\])([^\t]+)\t(.*)$")
ROWS = []
for line in SOURCE[258:288]:
    match = ROW.match(line)
    if match:
        numbers = [Decimal(re.sub(r"[\s,]", "", n)) for n in match.group(3).split("\t")]
        ROWS.append((match.group(1), re.sub(r"\s", "", match.group(2)), numbers))


@st.composite
def printed(draw, value: Decimal) -> str:
    """``value`` printed as converted PDFs print it: commas, OCR spaces, full width."""
    whole, _, fraction = f"{value:.2f}".partition(".")
    if draw(st.booleans()) and len(whole) > 3:
        whole = f"{int(whole):,}"
        if draw(st.booleans()):
            whole = whole.replace(",", ", ")
    point = draw(st.sampled_from([".", ". ", " . ", "．"]))
    if draw(st.booleans()):
        fraction = fraction[0] + " " + fraction[1]
    text = whole + point + fraction
    if draw(st.booleans()):
        text = text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    return text


@st.composite
def wrapped(draw, name: str) -> str:
    """``name`` with line-wrap spaces where a narrow cell broke it."""
    cuts = draw(st.sets(st.integers(1, max(1, len(name) - 1)), max_size=3))
    out = name
    for cut in sorted(cuts, reverse=True):
        out = out[:cut] + " " + out[cut:]
    return out


@st.composite
def documents(draw):
    lines = list(HEADER)
    for code, name, numbers in ROWS:
        cells = [draw(printed(n)) for n in numbers]
        lines.append(f"{code}{draw(wrapped(name))}\t" + "\t".join(cells))
    return "\n".join(lines) + "\n"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=documents())
def test_values_survive_number_formatting_and_wrapping(tmp_path, text):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    amounts = extract_documents([path])["subject_amounts"]
    got = {(row.code, row.measure): (row.name, row.amount) for row in amounts.itertuples()}
    for code, name, numbers in ROWS:
        bare = code.strip("[]")
        for measure, number in zip(("total", "basic", "project"), numbers, strict=True):
            assert got[(bare, measure)] == (name, number)
