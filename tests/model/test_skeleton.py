"""`gongkai new`: skeletons numbered after the organ's own entries, which validate as they stand."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import EXAMPLE, gongkai, make_catalog

from builder.model.skeleton import next_number


@pytest.mark.parametrize("existing, expected", [
    (["11220000013544357T/2026-00187", "11220000013544357T/2026-00201", "11220000013544357T/2014-00026"],
     "11220000013544357T/2026-00202"),
    (["11220000013544357T/2014-00026"], "11220000013544357T/2026-00001"),   # a new year starts at 1
    (["005000001-01-2025-0017"], "005000001-01-2026-0001"),                  # no slash: the office's own form
    (["2026-001", "2026-012", "2025-003"], "2026-013"),
    (["JY-CJ-0001", "JY-XK-0003"], "JY-XK-0004"),                            # no year: go on from the highest
    ([], "A/2026-00001"),
    (["A/2026-00009", "A/2026-00010"], "A/2026-00011"),
])
def test_next_number_follows_the_office_numbering(existing, expected):
    assert next_number(existing, 2026, "A/2026-00001") == expected


def _new(tmp_path, *args):
    return gongkai("new", *args, "--today", "2026-11-23", cwd=tmp_path)


def test_new_entries_of_every_kind_validate_and_drafts_are_not_published(tmp_path):
    make_catalog(tmp_path, source=EXAMPLE)
    item = _new(tmp_path, "item", "--organ", "jiyuan-city", "--title", "济源市人民政府关于示例的通知",
                "--doc-no", "济政〔2026〕30号")
    assert item.returncode == 0, item.stderr
    serials = [int(m) for m in re.findall(r"^index_no: 005000001/2026-(\d+)$", "".join(
        p.read_text(encoding="utf-8") for p in (EXAMPLE / "items").rglob("*.md")), re.M)]
    number = f"005000001/2026-{max(serials) + 1:05d}"
    assert number in item.stdout
    path = tmp_path / "catalog" / "items" / "jiyuan-city" / "2026" / f"{number.replace('/', '-')}.md"
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == "济源市人民政府关于示例的通知" and front["doc_no"] == "济政〔2026〕30号"
    assert "published" not in front and str(front["written"]) == "2026-11-23"
    assert "# 发布日期（选填）" in path.read_text(encoding="utf-8"), "each field has its Chinese comment"
    assert _new(tmp_path, "request", "--organ", "jiyuan-city", "--channel", "网上",
                "--applicant-type", "自然人").returncode == 0
    assert _new(tmp_path, "power", "--organ", "jiyuan-city", "--type", "行政许可", "--title", "示例许可").returncode == 0
    assert _new(tmp_path, "fee", "--organ", "jilin-province", "--title", "示例收费").returncode == 0
    assert _new(tmp_path, "consultation", "--organ", "jiyuan-city", "--type", "规章", "--start", "2026-12-01",
                "--end", "2026-12-31", "--title", "关于《示例办法（征求意见稿）》公开征求意见的公告").returncode == 0
    assert _new(tmp_path, "hotline", "--organ", "jiyuan-city", "--type", "咨询", "--title", "咨询示例事项").returncode == 0
    hotline = yaml.safe_load((tmp_path / "catalog" / "hotline" / "2026.yaml").read_text(encoding="utf-8"))
    assert hotline[-1]["id"] == "20261123-0001" and hotline[-1]["question"] == "咨询示例事项"
    consultation = yaml.safe_load((tmp_path / "catalog" / "consultations" / "jiyuan-city-2026-01.yaml")
                                  .read_text(encoding="utf-8"))
    assert consultation["post"] == "河南省济源市示例路 4 号", "the organ's own address is where comments go"
    requests = yaml.safe_load((tmp_path / "catalog" / "requests" / "2026.yaml").read_text(encoding="utf-8"))
    ids = [r["id"] for r in requests[:-1] if str(r["id"]).startswith("2026-")]
    assert requests[-1]["id"] == f"2026-{max(int(i[5:]) for i in ids) + 1:03d}"
    assert str(requests[-1]["received"]) == "2026-11-23"
    result = gongkai("validate", "--today", "2026-11-23", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    built = gongkai("build", "--today", "2026-11-23", "--site-dir", str(tmp_path / "site"),
                    "--config-file", str(EXAMPLE.parent / "mkdocs.yml"), "--catalog", str(tmp_path / "catalog"))
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "site" / "items" / number.replace("/", "_")).exists(), "a draft is not published"


def test_new_asks_for_what_it_cannot_guess_in_chinese(tmp_path):
    make_catalog(tmp_path, source=EXAMPLE)
    result = _new(tmp_path, "request", "--organ", "jiyuan-city")
    assert result.returncode == 2 and "新建申请需要 --channel、--applicant-type" in result.stderr
    wrong = _new(tmp_path, "hotline", "--organ", "jiyuan-city", "--type", "闲聊", "--title", "x")
    assert wrong.returncode == 2 and "--type 应为 咨询、求助、投诉、建议、举报 之一" in wrong.stderr
    unknown = _new(tmp_path, "item", "--organ", "nowhere")
    assert unknown.returncode == 2 and "没有机关“nowhere”" in unknown.stderr


def test_a_new_item_is_named_beside_a_file_renumbered_by_hand(tmp_path):
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    made = [_new(tmp_path, "item", "--organ", "jiyuan-city", "--title", title) for title in ("第一份", "第二份")]
    (first, first_path), (second, second_path) = [
        (re.search(r"公开事项（草稿） (\S+)：", m.stdout).group(1),
         catalog.parent / re.search(r"：(catalog/\S+\.md)", m.stdout).group(1)) for m in made]
    # staff drop the first draft and give the second its number, keeping the second's file name
    first_path.unlink()
    second_path.write_text(second_path.read_text(encoding="utf-8").replace(second, first), encoding="utf-8")
    third = _new(tmp_path, "item", "--organ", "jiyuan-city", "--title", "第三份")
    assert third.returncode == 0, third.stderr
    assert f"公开事项（草稿） {second}：" in third.stdout
    assert "第三份" in second_path.with_name(second_path.stem + "-2.md").read_text(encoding="utf-8")
    assert "第二份" in second_path.read_text(encoding="utf-8"), "the renumbered file is left as it was"


@pytest.mark.parametrize("empty", ["[]", "~", "", "[ ]  # 暂无"])
def test_a_list_file_without_entries_takes_a_new_one(tmp_path, empty):
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    fees = catalog / "fees" / "jiyuan-city.yaml"
    fees.write_text(f"# 济源市收费项目\n{empty}\n", encoding="utf-8")
    result = _new(tmp_path, "fee", "--organ", "jiyuan-city", "--title", "示例收费")
    assert result.returncode == 0, result.stdout + result.stderr
    text = fees.read_text(encoding="utf-8")
    assert text.startswith("# 济源市收费项目\n"), "the file's comments stay"
    assert [fee["name"] for fee in yaml.safe_load(text)] == ["示例收费"]
    assert "错误" not in result.stdout


def test_a_flow_list_file_is_not_broken_by_a_new_entry(tmp_path):
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    powers = catalog / "powers" / "jiyuan-city.yaml"
    entries = yaml.safe_load(powers.read_text(encoding="utf-8"))
    flow = yaml.safe_dump(entries, allow_unicode=True, default_flow_style=True)
    powers.write_text(flow, encoding="utf-8")
    assert gongkai("validate", "--today", "2026-11-23", cwd=tmp_path).returncode == 0
    result = _new(tmp_path, "power", "--organ", "jiyuan-city", "--type", "行政许可", "--title", "示例许可")
    assert result.returncode == 1 and "无法在末尾添加" in result.stderr and "Traceback" not in result.stderr
    assert powers.read_text(encoding="utf-8") == flow


def test_a_new_power_is_numbered_after_the_organs_entries_of_its_type(tmp_path):
    """Found by a review as office staff: a 行政检查 entry was numbered JL-XK-0004, after the licences, where the
    organ's own JL-JC-0001 showed its numbering for the type."""
    make_catalog(tmp_path, source=EXAMPLE)
    result = _new(tmp_path, "power", "--organ", "jilin-province", "--type", "行政检查", "--title", "示例检查")
    assert result.returncode == 0, result.stderr
    assert "JL-JC-0002" in result.stdout + result.stderr


def test_a_new_entry_keeps_a_notepad_files_line_endings_and_mark(tmp_path):
    """Found by a review as office staff: `new request` rewrote every CRLF line of a file saved by Notepad as LF, and
    every line showed as changed."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    requests = catalog / "requests" / "2026.yaml"
    original = "\ufeff" + requests.read_text(encoding="utf-8").replace("\n", "\r\n")
    requests.write_bytes(original.encode("utf-8"))
    result = _new(tmp_path, "request", "--organ", "jilin-province", "--channel", "网上", "--applicant-type", "自然人")
    assert result.returncode == 0, result.stderr
    after = requests.read_bytes().decode("utf-8")
    assert after.startswith(original) and after.count("\n") == after.count("\r\n") > original.count("\r\n")
