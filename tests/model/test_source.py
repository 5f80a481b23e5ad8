"""Reading YAML with lines (builder/model/source.py): the shortcut for flat front matter reads as PyYAML reads, and
what staff get wrong is named at its line, in Chinese, with the line rewritten."""

from __future__ import annotations

import hashlib
import os
import random

import pytest
import yaml
from conftest import EXAMPLE

from benchmarks.generate import generate
from builder.errors import CatalogChanged
from builder.model import source


def _same(fast, slow) -> bool:
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, dict):
        return fast == slow and fast.line == slow.line and fast.key_lines == slow.key_lines and \
            all(_same(fast[k], slow[k]) for k in fast)
    if isinstance(fast, list):
        return fast == slow and fast.line == slow.line and fast.item_lines == slow.item_lines and \
            all(_same(a, b) for a, b in zip(fast, slow))
    return fast == slow


def _yaml(text: str):
    loader = source._Loader(text, 1)
    try:
        return loader.get_single_data()
    except Exception:  # noqa: BLE001 - PyYAML raising is a valid outcome to compare against
        return None
    finally:
        loader.dispose()


ATOMS = ["a", "政府", " ", ": ", ":", "#", " #", "[", "]", ",", "yes", "on", "1", "012", "2026-02-30", "2026-01-05",
         "~", "null", "-", "- ", "'", '"', "1.5", "\t", "http://x", "{", "!", "&", "*", "|", "0x1", "+1"]


def _value(rng: random.Random, usual: float = 0.4) -> str:
    if rng.random() < usual:  # what staff usually write
        return rng.choice(["政府", "附件一.pdf", "a b", "2026-01-05", "12", "http://x", "该处罚决定经复议撤销。"])
    if rng.random() < 0.3:
        return "[" + ", ".join(rng.choice(ATOMS) for _ in range(rng.randrange(0, 3))) + "]"
    return "".join(rng.choice(ATOMS) for _ in range(rng.randrange(1, 5)))


def _block(rng: random.Random) -> list[str]:
    """A key whose value is the indented lines below it, as staff write a withdrawal or attachments, and as they
    may get them wrong: indents that differ, a missing space after the dash, a blank line or a comment inside."""
    indent = " " * rng.choice([1, 2, 2, 2, 4])
    lines = [f"{rng.choice(['attachments', 'withdrawal', 'on', 'k1'])}:{rng.choice(['', '', ' '])}"]
    for _ in range(rng.randrange(0, 4)):
        if rng.random() < 0.5:  # a key of a mapping
            lines.append(indent + rng.choice([""] * 8 + [" "]) + f"{rng.choice(['file', 'title', 'on'])}: "
                         f"{_value(rng, 0.7)}")
        else:  # an item of a list, then more keys of it
            first = rng.choice([f"file: {_value(rng, 0.7)}", f"title: {_value(rng, 0.7)}", _value(rng, 0.7), "k:"])
            lines.append(indent + rng.choice(["- "] * 6 + ["-  ", "-", "  - "]) + first)
            for _ in range(rng.randrange(0, 3)):
                lines.append(indent + rng.choice(["  "] * 6 + ["   ", " "]) +
                             f"{rng.choice(['title', 'file', 'on'])}: {_value(rng, 0.7)}")
        if rng.random() < 0.05:
            lines.append(rng.choice(["", indent, indent + "# 注释"]))
    return lines


def test_flat_front_matter_is_read_as_pyyaml_reads_it(tmp_path):
    generated = generate(tmp_path / "catalog", 300)
    files = sorted(EXAMPLE.rglob("*.md")) + sorted(generated.rglob("*.md"))
    front_matters = [path.read_text(encoding="utf-8").split("---\n")[1] for path in files]
    rng = random.Random(1)
    for _ in range(60000):
        lines = []
        for _ in range(rng.randrange(1, 4)):
            if rng.random() < 0.3:
                lines += _block(rng)
            else:
                lines.append(f"{rng.choice(['title', 'on', 'k1', 'Null'])}: {_value(rng)}")
        front_matters.append("\n".join(lines) + "\n")
    read_fast = nested = 0
    for text in front_matters:
        fast = source._parse_flat(text, 2)
        if fast is not None:
            read_fast += 1
            nested += any(isinstance(value, dict) or isinstance(value, list) and value and isinstance(value[0], dict)
                          for value in fast.values())
            assert _same(fast, _yaml(text)), text
    assert read_fast > 300, "generated items are read without PyYAML"
    assert nested > 300, "a withdrawal, or attachments, are read without PyYAML too"


# ------------------------------------------------------------ what a Chinese keyboard does to YAML


def test_a_character_yaml_does_not_read_is_refused_in_flat_front_matter_as_in_any_other():
    for text in ("title: 非字符\uffff标题\n", "title: 标题\nattachments:\n  - file: a\ufffe.txt\n"):
        data, problems = source.parse_yaml(text, "x.md", 2)
        assert data is None and [p.code for p in problems] == ["E-YAML-SYNTAX"], text


def test_nesting_hundreds_deep_is_a_syntax_error_not_a_crash():
    text = "title: 示例\nsubject: " + "[" * 400 + "]" * 400 + "\n"
    data, [problem] = source.parse_yaml(text, "x.yaml")
    assert data is None and (problem.code, problem.line) == ("E-YAML-SYNTAX", 1)
    assert "嵌套的层数太多" in problem.format()


def _laughs(levels: int) -> str:
    """Nine lines that stand for 9**levels values: each list names the one above nine times."""
    lines = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + f"\ntitle: *a{levels - 1}\n"


def test_aliases_that_stand_for_a_billion_values_are_refused_before_anything_walks_them():
    data, [problem] = source.parse_yaml(_laughs(9), "x.yaml")
    assert data is None and (problem.code, problem.line) == ("E-YAML-SYNTAX", 1)
    assert "展开后的内容过多" in problem.format()


def test_aliases_that_add_a_few_values_are_read_as_written_out():
    data, problems = source.parse_yaml(_laughs(3), "x.yaml")
    assert problems == [] and len(data["title"]) == 9 and data["title"][0][0] == ["哈"] * 9
    shared = "topics: &t [综合政务, 财政]\nkeywords: *t\n"
    data, problems = source.parse_yaml(shared, "x.yaml")
    assert problems == [] and data["keywords"] == data["topics"] == ["综合政务", "财政"]


def test_an_alias_inside_its_own_anchor_is_explained():
    data, [problem] = source.parse_yaml("title: 示例\nsubject: &s [*s]\n", "x.yaml")
    assert data is None and problem.code == "E-YAML-SYNTAX" and "包含它自己" in problem.format()


def _problems(text: str, first_line: int = 1) -> list[tuple[int, str, str]]:
    """(line, code, example) of each problem of ``text``, a document starting at ``first_line`` of x.md."""
    _, problems = source.parse_yaml(text, "x.md", first_line)
    return [(p.line, p.code, p.example) for p in problems]


def test_a_full_width_colon_is_named_on_its_own_line_with_the_line_rewritten():
    text = "index_no: a/2026-1\ntitle: 通知\ndoc_no：示政发〔2026〕2号\nwritten: 2026-03-02\n"
    assert _problems(text, first_line=2) == [(4, "E-YAML-FULLWIDTH-COLON", "doc_no: 示政发〔2026〕2号")]


def test_a_full_width_colon_on_the_first_line_is_found_although_yaml_stops_on_the_next():
    assert _problems("doc_no：示政发〔2026〕2号\ntitle: 通知\n") == [(1, "E-YAML-FULLWIDTH-COLON", "doc_no: 示政发〔2026〕2号")]


def test_tab_indents_are_each_rewritten_with_spaces_under_the_line_above():
    text = "title: 通知\nattachments:\n\t- file: a.pdf\n\t  title: 附件\n"
    assert _problems(text) == [(3, "E-YAML-TAB", "attachments:\n  - file: a.pdf"),
                               (4, "E-YAML-TAB", "  - file: a.pdf\n    title: 附件")]


def test_full_width_spaces_before_a_list_item_are_a_problem_not_an_unknown_key():
    text = "title: 通知\nattachments:\n　　- file: a.pdf\n"
    assert _problems(text) == [(3, "E-YAML-FULLWIDTH-SPACE", "attachments:\n  - file: a.pdf")]


def test_a_full_width_space_after_the_colon_is_found():
    assert _problems("title:　通知\norgan: demo\n") == [(1, "E-YAML-FULLWIDTH-SPACE", "title: 通知")]


def test_full_width_spaces_inside_text_are_text():
    text = "summary: 第一段\n  　　第二段\nbody: |\n  　　第一条：\n  　　- 第二条: 内容\n"
    data, problems = source.parse_yaml(text, "x.md")
    assert problems == [] and data["summary"] == "第一段 　　第二段" and data["body"].startswith("　　第一条")


def test_an_unquoted_colon_in_a_title_is_shown_quoted():
    text = "index_no: a/2026-1\ntitle: 关于印发《办法》的通知: 附件\norgan: demo\n"
    assert _problems(text, first_line=2) == [(3, "E-YAML-COLON", 'title: "关于印发《办法》的通知: 附件"')]
    example = _problems('title: 关于"办法"的通知: 附件\n')[0][2]
    assert yaml.safe_load(example) == {"title": '关于"办法"的通知: 附件'}


@pytest.mark.parametrize("text, line, chinese", [
    ('title: "未闭合\norgan: demo\n', 1, "引号或括号没有配对"),
    ("name: 坏机关\n kind: government\n", 2, "这里不能再有“: ”"),
    ("title: [一, 二\norgan: demo\n", 1, "方括号 [ ] 或花括号 { } 没有配对"),
    ("a:\n  b: 1\n c: 2\n", 3, "缩进没有对齐"),
])
def test_other_syntax_errors_are_explained_in_chinese_at_the_line_to_fix(text, line, chinese):
    _, [problem] = source.parse_yaml(text, "x.yaml")
    zh, en = problem.texts()
    assert (problem.line, problem.code) == (line, "E-YAML-SYNTAX")
    assert chinese in zh and "while" not in zh and "expected" not in zh
    assert en.startswith("YAML syntax error: ")


def test_a_dashed_line_inside_a_block_value_does_not_end_the_front_matter(tmp_path):
    path = tmp_path / "item.md"
    path.write_text("---\ntitle: 通知\nsummary: |\n  第一段\n  ---\n  第二段\n---  \n\n正文\n", encoding="utf-8")
    _, data, body, body_line, problems = source.load_front_matter_file(path)
    assert problems == []
    assert data["summary"] == "第一段\n---\n第二段\n"
    assert body == "\n正文\n" and body_line == 8, "the closing line may carry trailing spaces"


@pytest.mark.parametrize("typed", ["-file", "－file", "－ file", "— file", "– file", "-　file"])
def test_a_list_items_dash_typed_without_its_space_or_as_another_dash_is_named_on_its_line(typed):
    text = f"index_no: x\nattachments:\n  {typed}: annex.txt\n    title: 附件一\n"
    assert _problems(text) == [(3, "E-YAML-LIST-DASH", "  - file: annex.txt")]


def test_a_file_longer_than_its_stated_size_is_read_to_its_end():
    """A file is read in one call when it holds what its status says (fewer bytes than asked for: its end), and to
    its end when it holds more (one written meanwhile has grown): a file of /proc states no size at all."""
    assert source.read_file("/proc/self/maps").count(b"\n") > 10
    with open("/proc/self/maps", "rb") as file:
        assert os.fstat(file.fileno()).st_size == 0


def test_a_body_changed_or_gone_since_validation_is_said_as_a_changed_catalog(tmp_path):
    """Bodies are read when their pages and search documents are made, after validation: a file deleted meanwhile was
    an internal error (FileNotFoundError) that asked staff to report it to the maintainers."""
    item = tmp_path / "x.md"
    item.write_text("---\ntitle: 通知\n---\n正文\n", encoding="utf-8")
    digest = hashlib.sha1(item.read_bytes()).hexdigest()
    assert source.read_body(str(item), 4, digest) == "正文\n"
    item.write_text("---\ntitle: 通知\n---\n改过的正文\n", encoding="utf-8")
    with pytest.raises(CatalogChanged, match="x.md：文件在生成网站期间被修改"):
        source.read_body(str(item), 4, digest)
    item.unlink()
    with pytest.raises(CatalogChanged, match="x.md：文件在生成网站期间被修改"):
        source.read_body(str(item), 4, digest)
