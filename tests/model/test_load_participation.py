"""Loading consultations and hotline cases: typed objects, ids from file names, files resolved, times kept."""

from __future__ import annotations

import datetime as dt
import os

from conftest import EXAMPLE, make_catalog

from builder.model.dates import time_of
from builder.model.load import load_catalog


def test_the_example_catalog_loads_its_consultations_and_hotline_cases():
    catalog, problems = load_catalog(EXAMPLE)
    assert problems == []
    by_id = {c.id: c for c in catalog.consultations}
    assert set(by_id) == {"jiyuan-xianshi-banjie", "jilin-zhengwu-gongkai-guiding", "jilin-gongjiao-piaojia-tingzheng"}
    closed = by_id["jiyuan-xianshi-banjie"]
    assert closed.kind == "行政规范性文件" and closed.start == dt.date(2026, 9, 1)
    assert [f.title for f in closed.files] == ["济源市行政审批限时办结实施办法（征求意见稿）", "起草说明"]
    assert all(os.path.isfile(f.path) for f in closed.files)
    assert closed.feedback.received == 23 and len(closed.feedback.not_adopted) == 2
    assert [how for how, _ in closed.channels] == ["电子邮件", "信函", "网上提交"]
    hearing = by_id["jilin-gongjiao-piaojia-tingzheng"].hearing
    assert time_of(hearing.date) == dt.time(9, 30)
    assert len(catalog.hotline) == 17  # a month of cases (November) and a few of October
    first = catalog.hotline[0]
    assert (first.id, first.type, time_of(first.received)) == ("20261012-0031", "咨询", dt.time(9, 12))
    assert any(c.withheld for c in catalog.hotline)
    interpretation = next(i for i in catalog.items if i.interprets)
    assert interpretation.interprets == "005000001/2026-00162"


def test_a_file_is_named_by_its_title_or_its_own_name(tmp_path):
    catalog_dir = make_catalog(tmp_path)
    (catalog_dir / "consultations").mkdir()
    (catalog_dir / "consultations" / "draft.txt").write_text("草案", encoding="utf-8")
    (catalog_dir / "consultations" / "c1.yaml").write_text(
        "title: t\norgan: demo\nkind: 其他\nstart: 2026-11-02\nend: 2026-11-09\nemail: a@example.gov.cn\n"
        "files:\n  - file: draft.txt\n", encoding="utf-8")
    catalog, problems = load_catalog(catalog_dir)
    assert problems == []
    [consultation] = catalog.consultations
    assert consultation.id == "c1" and consultation.files[0].title == "draft.txt"
    assert consultation.files[0].path == str((catalog_dir / "consultations" / "draft.txt").resolve())


def test_schema_problems_are_at_their_lines_and_leave_the_rest(tmp_path):
    catalog_dir = make_catalog(tmp_path)
    (catalog_dir / "hotline").mkdir()
    (catalog_dir / "hotline" / "2026.yaml").write_text(
        "- id: a\n  received: 2026-11-02\n  type: 表扬\n  question: q\n  unit: u\n"
        "- id: b\n  received: 2026-11-02\n  type: 咨询\n  question: q\n  unit: u\n  caller: 张三\n"
        "- id: c\n  received: 2026-11-02\n  type: 咨询\n  question: q\n  unit: u\n", encoding="utf-8")
    catalog, problems = load_catalog(catalog_dir)
    assert [(p.line, p.code) for p in problems] == [(3, "E-CHOICE"), (11, "E-UNKNOWN-KEY")]
    assert [c.id for c in catalog.hotline] == ["b", "c"]  # a lost its required type; b only its unknown key
