"""Pictures of a lineage chain and of a family, as standalone SVG text.

Written by hand (no plotting library): a chain is a timeline, one circle per
year with its area proportional to the amount, the link kind and score on the
arrows; a family is a network of chains laid out by networkx's spring layout,
one colour per district, line width by similarity.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

import networkx as nx

FONT = "font-family='Noto Sans CJK SC, Source Han Sans SC, PingFang SC, sans-serif'"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f")


@dataclass(frozen=True)
class Step:
    """One year of a chain, or one chain of a family."""

    year: int
    name: str
    amount: Decimal | None
    district: str = ""
    href: str = ""
    years: str = ""  # for a family member: the span of its chain, "2019–2023"


def _text(x: float, y: float, content: str, size: int = 12, anchor: str = "middle",
          weight: str = "normal", fill: str = "#222") -> str:
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
            f"font-weight='{weight}' fill='{fill}' {FONT}>{escape(content)}</text>")


def _short(name: str, limit: int = 14) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _linked(markup: str, href: str) -> str:
    return f"<a href='{escape(href, quote=True)}'>{markup}</a>" if href else markup


def district_colour(district: str) -> str:
    digest = hashlib.sha1(district.encode("utf-8")).digest()[0]
    return PALETTE[digest % len(PALETTE)]


def chain_svg(steps: Sequence[Step], links: Sequence[tuple[str, float]] = (),
              title: str = "") -> str:
    """A timeline of ``steps``; ``links[k]`` (kind, score) joins step k to step k+1."""
    gap, margin, height = 200, 100, 230
    width = margin * 2 + gap * max(len(steps) - 1, 0)
    largest = max((float(s.amount) for s in steps if s.amount), default=0.0)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}' role='img'>",
             f"<title>{escape(title or (steps[-1].name if steps else 'chain'))}</title>",
             "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='8' "
             "markerHeight='8' orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker>"
             "</defs>"]
    axis_y = 110
    for k, step in enumerate(steps):
        x = margin + gap * k
        radius = 6 + (30 * math.sqrt(float(step.amount) / largest) if step.amount and largest
                      else 0)
        colour = district_colour(step.district)
        if k + 1 < len(steps):
            kind, score = links[k] if k < len(links) else ("", 0.0)
            parts.append(f"<line x1='{x + radius + 4:.1f}' y1='{axis_y}' x2='{x + gap - 40:.1f}' "
                         f"y2='{axis_y}' stroke='#555' stroke-width='1.5' "
                         "marker-end='url(#arrow)'/>")
            if kind:
                parts.append(_text(x + gap / 2, axis_y - 8, f"{kind} {score:.2f}", 10,
                                   fill="#555"))
        circle = (f"<circle cx='{x}' cy='{axis_y}' r='{radius:.1f}' fill='{colour}' "
                  f"fill-opacity='0.35' stroke='{colour}' stroke-width='2'>"
                  f"<title>{escape(step.name)}</title></circle>")
        parts.append(_linked(circle, step.href))
        parts.append(_text(x, 30, str(step.year), 14, weight="bold"))
        parts.append(_text(x, 48, _short(step.name, 13), 12))
        amount = f"{step.amount} 万元" if step.amount is not None else "—"
        parts.append(_text(x, axis_y + 60, amount, 12))
        if step.district:
            parts.append(_text(x, axis_y + 78, step.district, 11, fill="#666"))
    parts.append("</svg>")
    return "\n".join(parts)


def family_svg(members: Sequence[Step], edges: Sequence[tuple[int, int, float]],
               title: str = "", seed: int = 0) -> str:
    """The chains of a family as a network; ``edges`` join member indices with a score."""
    size = 640
    graph = nx.Graph()
    graph.add_nodes_from(range(len(members)))
    for a, b, score in edges:
        graph.add_edge(a, b, weight=score)
    layout = nx.spring_layout(graph, weight="weight", seed=seed) if members else {}
    margin = 90

    def place(node: int) -> tuple[float, float]:
        x, y = layout[node]
        span = size - 2 * margin
        return margin + (x + 1) / 2 * span, margin + (y + 1) / 2 * span

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{size}' height='{size}' "
             f"viewBox='0 0 {size} {size}' role='img'>",
             f"<title>{escape(title or 'family')}</title>"]
    if title:
        parts.append(_text(size / 2, 24, title, 15, weight="bold"))
    for a, b, score in edges:
        (x1, y1), (x2, y2) = place(a), place(b)
        parts.append(f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' "
                     f"stroke='#999' stroke-width='{0.5 + 3 * score:.2f}' stroke-opacity='0.7'>"
                     f"<title>{score:.2f}</title></line>")
    for node, member in enumerate(members):
        x, y = place(node)
        colour = district_colour(member.district)
        circle = (f"<circle cx='{x:.1f}' cy='{y:.1f}' r='9' fill='{colour}' stroke='#fff'>"
                  f"<title>{escape(member.name)} · {escape(member.district)} · "
                  f"{escape(member.years or str(member.year))}</title></circle>")
        parts.append(_linked(circle, member.href))
        parts.append(_text(x, y - 14, _short(member.name, 12), 11))
        parts.append(_text(x, y + 22, f"{member.district} {member.years or member.year}", 10,
                           fill="#555"))
    parts.append("</svg>")
    return "\n".join(parts)
