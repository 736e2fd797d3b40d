"""Name normalisation on names printed in data/corpus (expected values written by hand)."""

from __future__ import annotations

import pytest

from kg.lineage.names import bigrams, core_name, place_prefixes, simplified

PANYU = place_prefixes("广东省", "广州市", "番禺区", "广州市番禺区政务服务数据管理局")
QINGXIN = place_prefixes("广东省", "清远市", "清新区", "清远市清新区政务服务数据管理局")


@pytest.mark.parametrize(("printed", "prefixes", "core"), [
    # guangzhou-panyu-2019-final-accounts.txt:624, a traditional 統
    ("社会治安视频监控系統建设项目", PANYU, "社会治安视频监控系统建设"),
    # guangzhou-panyu-2023-budget.txt:496, wrapped over three lines, district prefix
    ("番禺区电子政 务外网升级改 造项目", PANYU, "电子政务外网升级改造"),
    # guangzhou-panyu-2019-final-accounts.txt:751, the doubled 项 of the prose
    ("电子政务外网升级改造项项目", PANYU, "电子政务外网升级改造"),
    # guangzhou-panyu-2023-budget.txt:559, quotes and a generic tail
    ('"数字政府"建设专项资金', PANYU, "数字政府建设"),
    # qingyuan-qingxin-2023-budget.txt:506, a year remark in full-width brackets
    ("(2023 年区级创文项目) “讲文明树新风” 公益广告", QINGXIN, "讲文明树新风公益广告"),
    # qingyuan-qingxin-2023-budget.txt:516, year tag then the level word 区
    ("2023 年区政务服务集约化和一体化在线政务服务平台服务能力提升项目", QINGXIN,
     "政务服务集约化和一体化在线政务服务平台服务能力提升"),
    # qingyuan-qingxin-2023-budget.txt:505, city and district prefixes
    ("清远市清新区浸潭镇政务服务中心改造建设项目设备采购", QINGXIN,
     "浸潭镇政务服务中心改造建设项目设备采购"),
    # qingyuan-qingxin-2023-budget.txt:479, full-width letters fold, 费 is a tail too
    ("全区行政村通光纤ＶＰＮ专网组网费项目", QINGXIN, "行政村通光纤vpn专网组网"),
    # guangzhou-panyu-2023-budget.txt:480: never stripped down to nothing
    ("工作经费", PANYU, "工作"),
    ("免费刻章", PANYU, "免费刻章"),
])
def test_core_names(printed: str, prefixes: tuple[str, ...], core: str) -> None:
    assert core_name(printed, prefixes) == core


def test_simplified_keeps_the_whole_printed_name() -> None:
    assert simplified("番禺区电子政 务外网升级改 造项目") == "番禺区电子政务外网升级改造项目"
    assert simplified("社会治安视频监控系統建设项目") == "社会治安视频监控系统建设项目"
    assert simplified("“讲文明树新风”　公益广告") == "讲文明树新风公益广告"


def test_place_prefixes_include_short_forms() -> None:
    assert {"广州市", "广州", "番禺区", "番禺"} <= set(PANYU)
    assert list(PANYU) == sorted(PANYU, key=len, reverse=True)


def test_bigrams_of_short_and_mixed_names() -> None:
    assert bigrams("刻章") == {"刻章"}
    assert bigrams("章") == {"章"}
    assert bigrams("5g建设") == {"5g", "g建", "建设"}
    assert bigrams("vpn专网") == {"vp", "pn", "n专", "专网"}
