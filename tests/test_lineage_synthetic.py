"""Precision and recall on a synthetic corpus with known lineage (bench/synthetic_lineage.py).

The generator grows departments from the real projects of data/corpus and
records the links it makes (continuations with small renames, merges,
splits) and each project's family (the real project it descends from); the
linker never sees that truth. The floors below are what the method must keep
doing; the figures themselves are printed (``pytest -s``) and reported in
the README section on project lineage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg.lineage.chains import Link
from kg.lineage.families import families
from kg.lineage.graph import link_projects
from kg.lineage.projects import Project, project_records

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import synthetic_lineage  # noqa: E402


@pytest.fixture(scope="module")
def seeds() -> list[synthetic_lineage.Seed]:
    return synthetic_lineage.corpus_seeds()


def test_seeds_are_real_projects_of_the_corpus(seeds) -> None:
    names = {seed.name for seed in seeds}
    # qingyuan-qingxin-2023-budget.txt:468; the CCTV project is printed in 2019 (:624, 系統)
    # and 2023 (guangzhou-panyu-2023-budget.txt:623, 系统): one seed, either spelling
    assert "区电子政务云平台建设项目" in names
    assert len(names & {"社会治安视频监控系統建设项目", "社会治安视频监控系统建设项目"}) == 1
    assert len(seeds) >= 40


@pytest.mark.parametrize("seed", [1, 2])
def test_precision_and_recall_on_synthetic_lineage(seeds, seed: int) -> None:
    synthetic = synthetic_lineage.generate(seeds, 3000, years=8, seed=seed)
    kinds = {kind for _, _, kind in synthetic.links}
    assert kinds == {"continues", "merged_into", "split_into"}
    lineage = link_projects(project_records(synthetic.projects, synthetic.documents))
    scores = synthetic_lineage.evaluate(lineage, synthetic)
    print(f"\nsynthetic seed {seed}, {len(synthetic.projects)} projects:")
    for line in scores.lines():
        print("  " + line)
    assert scores.precision >= 0.97 and scores.recall >= 0.97
    assert scores.merge_split_precision >= 0.7 and scores.merge_split_recall >= 0.8
    assert scores.family_precision >= 0.8 and scores.family_recall >= 0.8


def _project(index: int, district: str, name: str) -> Project:
    return Project(
        key=f"k{index}", doc_id=f"d{index}", department=f"{district}政务服务数据管理局",
        province="广东省", city="广州市", district=district, fiscal_year=2023, kind="budget",
        unit="", name=name, simple=name, core=name, function_code="", amount=None,
        amount_column="", content="", target="", table="project_expenditure", source_line=1,
    )


def test_families_are_communities_not_connected_components() -> None:
    """Two dense groups joined by one weak, generic link stay two families."""
    districts = ["越秀区", "海珠区", "荔湾区", "天河区"]
    projects = [_project(i, d, "社会治安视频监控系统建设") for i, d in enumerate(districts)]
    projects += [_project(4 + i, d, "政务服务大厅运维") for i, d in enumerate(districts)]
    similar = [Link(a, b, "similar", 0.9, ()) for group in (range(4), range(4, 8))
               for a in group for b in group if a < b]
    similar.append(Link(3, 4, "similar", 0.5, ()))  # the bridge through a generic word
    scorer = type("Scorer", (), {"projects": projects})()
    found = families(scorer, similar, chains=[])
    assert sorted(map(sorted, found)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
