"""The figures a document states in its prose, as ``facts`` rows.

The 情况说明 part of a budget or final accounts states its main figures in
sentences whose wording changes from place to place and year to year
("政府采购安排X万元，其中：货物类采购预算A万元…" or "政府采购支出总额X万元，
其中：政府采购货物支出A万元…"). Each figure is found by the meaning of its
sentence — a subject, an amount, then optionally the change on the previous
year, the percentage and the reason — never by its position. The same keys
are read from the summary tables by ``kg.tables.extract`` (本年收入合计,
支出总体情况表 totals, the 三公 table); this module reads the prose only.

Amounts are ``Decimal`` exactly as printed, in the printed unit; a change
printed as 减少/下降/降低 is negative; reasons are text with an empty unit.
For final accounts the value is the actual (决算) figure; where the budget is
printed beside it, ``<key>.budget`` and ``<key>.execution_rate`` hold it.

Keys (``*`` stands for any key of a family that has it):

- ``income_total``: this year's income (收入预算 / 本年收入, as 本年收入合计)
- ``income_grand_total``: income with carry-overs (总收入 / 收入总计 / 收、支总计)
- ``expenditure_total``: this year's expenditure (支出预算 / 本年支出, as 本年支出合计)
- ``expenditure_grand_total``: expenditure with carry-overs (总支出 / 支出总计 / 收、支总计)
- ``basic_expenditure``: 基本支出 (staff and running costs)
- ``project_expenditure``: 项目支出
- ``three_public.total``: the 三公 funds, all three together
- ``three_public.outbound_travel``: 因公出国(境)费
- ``three_public.vehicle_purchase_and_operation``: 公务用车购置及运行(维护)费
- ``three_public.vehicle_purchase``: 公务用车购置费
- ``three_public.vehicle_operation``: 公务用车运行(维护)费
- ``three_public.official_reception``: 公务接待费
- ``administrative_funds``: 机关运行经费 / 行政经费
- ``procurement.total``: 政府采购 total
- ``procurement.goods``, ``procurement.works``, ``procurement.services``: its
  货物 / 工程 / 服务 parts
- ``fixed_assets.total``: 固定资产 held (amount)
- ``fixed_assets.buildings``: 房屋 floor area (平方米)
- ``fixed_assets.vehicles``: 车辆 held (count)
- ``fixed_assets.equipment_over_1m``: equipment priced at 100万元 or more (count)
- ``fixed_assets.general_equipment_over_500k``: general equipment priced at 50万元 or more
- ``fixed_assets.planned_purchase``: fixed assets to be bought this year (拟购置)
- ``transfer_payments``: 转移支付 arranged
- ``meeting_fees``: 会议费
- ``non_tax_revenue``: 非税收入 total
- change on the previous year (较上年 / 比上年 / 与上年相比 / 同比):
  ``income_change``, ``income_change_pct``, ``income_change_reason``,
  ``expenditure_change``, ``expenditure_change_pct``, ``expenditure_change_reason``,
  ``income_grand_total_change`` and ``expenditure_grand_total_change`` (and ``_pct``,
  ``_reason``),
  ``basic_expenditure_change`` (and ``_pct``, ``_reason``), ``project_expenditure_change``
  (and ``_pct``, ``_reason``), ``three_public.change``, ``three_public.change_pct``,
  ``three_public.change_reason``, ``three_public.<part>.change`` (and ``.change_pct``,
  ``.change_reason``) for each part above, ``administrative_funds.change`` (and
  ``.change_pct``, ``.change_reason``)
- difference from the year's initial budget (比年初预算数): the same stems with
  ``budget_variance``, ``budget_variance_pct`` and ``variance_reason`` in place of
  ``change``, ``change_pct`` and ``change_reason``
- ``*.budget``: the budget a final-accounts figure is compared with (完成预算X万元)
- ``*.execution_rate``: the actual as a percentage of that budget
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.documents.numbers import parse_amount
from kg.documents.reader import Document
from kg.documents.text import clean_text
from kg.tables.prose import Prose, read_prose

NUMBER = r"\d[\d,]*(?:\.\d+)?"
_MONEY = r"(?:万元|亿元|千元|元)"
_QUOTE = r"[\"“”'‘’「」『』]?"
_VERB = r"(?:为|是|达|共计|合计)?"
_NEGATIVE = ("减少", "下降", "降低")

# The clauses that may follow a figure, in any order: its budget, its change
# on a basis (last year or the initial budget), the percentage, the reason.
_AFTER = r"[,;。]?"
_PARENTHESIS = re.compile(r"\([^()\n]{0,160}\)")
_BUDGET = re.compile(
    _AFTER + rf"完成(?:年初)?预算(?:数)?(?P<budget>{NUMBER})(?P<unit>{_MONEY})的(?P<rate>{NUMBER})%"
)
_CHANGE = re.compile(
    _AFTER
    + r"(?:(?:较|比|与)(?P<basis>上年|上一年|\d{4}年|年初预算)度?(?:决算数|预算数|数)?(?:相比)?"
    + r"|同比),?"
    + rf"[^\d,;。\n]{{0,8}}?(?P<direction>增加|减少|增长|上升|下降|降低)(?P<change>{NUMBER})"
    + rf"(?P<unit>{_MONEY})"
)
_PERCENT = re.compile(
    _AFTER
    + r"(?:较上年|比上年|同比)?(?P<direction>增长|增加|上升|下降|降低|减少)"
    + rf"(?P<pct>{NUMBER})%"
)
# A reason may open the next paragraph when the page wrapped right after a full stop.
_REASON = re.compile(
    r"(?:[,;]|。?\n?)"
    + r"(?:主要增减变动情况(?:是)?|主要变动情况(?:是)?|主要原因(?:是|为)?"
    + r"|(?:增长|增加|减少|下降)原因(?:是|为)|主要是)[:]?"
)
# A ";" ends a reason unless the next item of an enumeration follows it.
_ENUMERATION = re.compile(r"[一二三四五六七八九十]+[、是]|\d+[、.)]|\(\d+\)|其[一二三]")
_VARIANCE_REACH = 600  # characters after a figure where its variance reason may stand
_VARIANCE_REASON = re.compile(
    r"[^。\n]{0,30}?决算数?(?:小于|大于|低于|高于)预算数?的?主要(?:情况|原因)[:]?"
)


@dataclass(frozen=True)
class Figure:
    """A figure found by its subject; ``stem`` names its change keys."""

    key: str
    subject: str
    stem: str = ""  # "income_" gives income_change; "three_public." gives three_public.change
    unit: str = _MONEY
    reasons: bool = True

    def change_key(self, part: str, basis: str) -> str:
        name = {"change": "change", "pct": "change_pct", "reason": "change_reason"}[part]
        if basis == "budget":
            name = {"change": "budget_variance", "pct": "budget_variance_pct",
                    "reason": "variance_reason"}[part]
        return f"{self.stem}{name}"


def _three_public(part: str, subject: str) -> Figure:
    return Figure(f"three_public.{part}", subject, stem=f"three_public.{part}.")


_SPENT = r"(?:支出)?(?:决算|预算)?数?" + _VERB
FIGURES: tuple[Figure, ...] = (
    Figure(
        "income_total", r"(?:(?<![税金款总])收入预算(?:总额|总计|合计)?|本年收入(?:合计)?)",
        stem="income_",
    ),
    Figure(
        "expenditure_total",
        r"(?:(?<!项目)(?<!基本)(?<![税金款总])支出预算(?:总额|总计|合计)?|本年支出(?:合计)?)",
        stem="expenditure_",
    ),
    Figure("income_grand_total", r"(?:总收入|(?<!本年)收入总计)", stem="income_grand_total_"),
    Figure(
        "expenditure_grand_total", r"(?:总支出|(?<!本年)支出总计)",
        stem="expenditure_grand_total_",
    ),
    # 收、支总计 and 收支总预算 state both grand totals and their common change.
    Figure("income_grand_total", r"收、?支总(?:计|预算)", stem="income_grand_total_"),
    Figure("expenditure_grand_total", r"收、?支总(?:计|预算)", stem="expenditure_grand_total_"),
    Figure(
        "basic_expenditure", r"(?<!本年)(?<!其中)(?<!拨款)基本支出(?:预算)?",
        stem="basic_expenditure_",
    ),
    Figure(
        "project_expenditure", r"(?<!本年)(?<!其中)(?<!拨款)项目支出(?:预算)?",
        stem="project_expenditure_",
    ),
    Figure(
        "three_public.total",
        rf"{_QUOTE}三公{_QUOTE}经费(?:财政拨款)?{_SPENT}(?:安排)?",
        stem="three_public.",
    ),
    _three_public("outbound_travel", r"因公出国\(境\)(?:经费|费用|费)" + _SPENT),
    _three_public(
        "vehicle_purchase_and_operation", r"公务用车购置及运行(?:维护)?费用?" + _SPENT
    ),
    _three_public("vehicle_purchase", r"公务用车购置(?:费用?|支出)" + _SPENT),
    _three_public("vehicle_operation", r"公务用车运行(?:及)?维护(?:费用?|支出)" + _SPENT),
    _three_public("official_reception", r"公务接待费用?" + _SPENT),
    Figure(
        "administrative_funds",
        r"(?:机关运行经费(?:\(行政经费\))?|行政经费(?:\(机关运行经费\))?)"
        r"(?:支出|预算)?(?:预算)?(?:安排)?",
        stem="administrative_funds.",
    ),
    Figure(
        "procurement.total",
        r"政府采购(?:预算(?:总额|安排)?|安排|支出总额|总额|支出)",
        stem="procurement.",
        reasons=False,
    ),
    Figure(
        "fixed_assets.total",
        r"(?<!购置)(?<!购买)(?<!新增)固定资产(?:金额|原值|总额|总值)?",
        reasons=False,
    ),
    Figure(
        "fixed_assets.planned_purchase", r"拟(?:购置|购买|新增)固定资产(?:预算)?",
        reasons=False,
    ),
    Figure("fixed_assets.vehicles", r"车辆(?:共)?", unit="辆", reasons=False),
    Figure("fixed_assets.buildings", r"房屋(?:面积)?", unit="平方米", reasons=False),
    Figure(
        "fixed_assets.equipment_over_1m",
        r"单价(?:在)?100万元以上的?(?:专用)?设备",
        unit=r"台\(套\)|台|套",
        reasons=False,
    ),
    Figure(
        "fixed_assets.general_equipment_over_500k",
        r"单价(?:在)?50万元以上的?通用设备",
        unit=r"台\(套\)|台|套",
        reasons=False,
    ),
    Figure("transfer_payments", r"转移支付(?:预算)?(?:安排|支出)", reasons=False),
    Figure("meeting_fees", r"会议费(?:支出)?(?:决算|预算)", stem="meeting_fees."),
    Figure("non_tax_revenue", r"非税收入(?:合计|总额)", reasons=False),
)

# The parts of a procurement total, read inside its own sentence.
_PROCUREMENT_PARTS: tuple[tuple[str, str], ...] = (
    ("procurement.goods", "货物"),
    ("procurement.works", "工程"),
    ("procurement.services", "服务"),
)


def _signed(number: str, direction: str) -> Decimal | None:
    value = parse_amount(number)
    if value is None:
        return None
    return -value if direction in _NEGATIVE and value != 0 else value


def _reason_text(text: str, start: int) -> tuple[str, int]:
    """The reason starting at ``start``: up to a full stop or a ";".

    A reason that is itself an enumeration (一是…;二是…) runs on over the
    ";" before each of its items; one inside an item stops at the next item.
    """
    listed = bool(_ENUMERATION.match(text, start))
    end = start
    while end < len(text) and text[end] not in "。\n":
        if text[end] == ";" and not (listed and _ENUMERATION.match(text, end + 1)):
            break
        end += 1
    return text[start:end], end


class _Collector:
    """Facts of one document, the first statement of each key winning."""

    def __init__(self, doc: Document, prose: Prose) -> None:
        self.doc = doc
        self.prose = prose
        self.rows: dict[str, dict] = {}

    def add(self, key: str, value: object, unit: str, offset: int, evidence: str = "") -> None:
        if key in self.rows or value is None or value == "":
            return
        self.rows[key] = {
            "doc_id": self.doc.doc_id,
            "key": key,
            "value": value,
            "unit": unit,
            "source_line": self.prose.line_at(offset),
            "evidence": evidence or clean_text(self.prose.sentence_at(offset)),
        }


def _tail(collector: _Collector, figure: Figure, text: str, position: int) -> None:
    """Read the clauses after a figure's amount: budget, change, percentage, reason."""
    basis = "year"
    evidence = clean_text(collector.prose.sentence_at(position - 1))
    for _ in range(6):
        parenthesis = _PARENTHESIS.match(text, position)
        if parenthesis:
            position = parenthesis.end()
            continue
        budget = _BUDGET.match(text, position)
        if budget:
            collector.add(f"{figure.key}.budget", parse_amount(budget["budget"]),
                          budget["unit"], budget.start("budget"), evidence)
            collector.add(f"{figure.key}.execution_rate", parse_amount(budget["rate"]), "%",
                          budget.start("rate"), evidence)
            position = budget.end()
            continue
        change = _CHANGE.match(text, position)
        if change and figure.stem:
            basis = "budget" if change["basis"] == "年初预算" else "year"  # 同比: last year
            collector.add(figure.change_key("change", basis),
                          _signed(change["change"], change["direction"]), change["unit"],
                          change.start("basis"), evidence)
            position = change.end()
            continue
        percent = _PERCENT.match(text, position)
        if percent and figure.stem:
            collector.add(figure.change_key("pct", basis),
                          _signed(percent["pct"], percent["direction"]), "%",
                          percent.start("direction"), evidence)
            position = percent.end()
            continue
        reason = _REASON.match(text, position)
        if reason and figure.stem and figure.reasons:
            words, end = _reason_text(text, reason.end())
            collector.add(figure.change_key("reason", basis), clean_text(words), "",
                          reason.end(), evidence)
            position = end
            continue
        break


def _procurement_parts(collector: _Collector, text: str, start: int) -> None:
    end = text.find("。", start)
    end = len(text) if end < 0 else end
    newline = text.find("\n", start)
    if 0 <= newline < end:
        end = newline
    sentence = text[start:end]
    for key, word in _PROCUREMENT_PARTS:
        found = re.search(
            rf"(?:政府采购)?{word}类?(?:采购)?(?:预算|支出)?{_VERB}"
            rf"(?P<amount>{NUMBER})(?P<unit>{_MONEY})",
            sentence,
        )
        if found:
            collector.add(key, parse_amount(found["amount"]), found["unit"],
                          start + found.start())


def _narrative(collector: _Collector) -> None:
    text = collector.prose.text
    for figure in FIGURES:
        pattern = re.compile(
            rf"{figure.subject}{_VERB}(?P<amount>{NUMBER})(?P<unit>{figure.unit})"
        )
        for found in pattern.finditer(text):
            value = parse_amount(found["amount"])
            if value is None:
                continue
            collector.add(figure.key, value, found["unit"], found.start())
            _tail(collector, figure, text, found.end())
            if figure.key == "procurement.total":
                _procurement_parts(collector, text, found.end())
            if figure.key == "three_public.total":
                _variance_reason(collector, figure, text, found.end())
            break  # the first statement of a figure is the one that counts


def _variance_reason(collector: _Collector, figure: Figure, text: str, start: int) -> None:
    """The reason a final account gives for the actual differing from the budget.

    It is stated just after the figures, often in a paragraph of its own
    ("…决算小于预算数的主要情况：…"), so a short stretch of text is searched.
    """
    found = _VARIANCE_REASON.search(text, start, min(len(text), start + _VARIANCE_REACH))
    if found:
        words, _ = _reason_text(text, found.end())
        collector.add(figure.change_key("reason", "budget"), clean_text(words), "",
                      found.end())


def extract_facts(doc: Document) -> list[dict]:
    """The ``facts`` rows of ``doc`` stated in its prose, one per key."""
    collector = _Collector(doc, read_prose(doc))
    _narrative(collector)
    return list(collector.rows.values())
