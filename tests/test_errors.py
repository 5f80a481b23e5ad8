"""The messages of builder/errors.py: each has an English half that is English, and examples shown below it."""

from __future__ import annotations

import os
import random
import re
import string
from pathlib import Path

import pytest

from builder.errors import (
    MESSAGES,
    PROBLEM_ORDER,
    Location,
    Problem,
    display_below,
    display_path,
    ordered_problems,
)

# Han characters and CJK punctuation (〔〕（）“”：，) and full-width forms.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d]")
# Parameters whose values are Chinese sentences or labels gongkai writes: the English half uses their *_en twin.
CHINESE_PARAMS = {"field", "what", "detail", "reason", "label", "later_label", "earlier_label", "position", "title",
                  "suggestion", "where", "choices", "bounds", "extra", "hint", "basis"}


@pytest.mark.parametrize("code", list(MESSAGES))
def test_the_english_half_of_every_message_is_english(code):
    english = MESSAGES[code].en
    fields = {name.split("!")[0].split(".")[0] for _, name, _, _ in string.Formatter().parse(english) if name}
    assert not CJK.search(re.sub(r"\{[^}]*\}", "", english)), english
    assert fields & CHINESE_PARAMS == set(), f"{code}: use the English twin of {fields & CHINESE_PARAMS}"


def test_a_future_date_is_named_by_its_key_in_english():
    problem = Location("x.md", 6).problem("W-DATE-FUTURE", field="发布日期（published）", key="published",
                                          found="2026-11-30", today="2026-11-23")
    assert problem.texts()[1] == "published (2026-11-30) is after today (2026-11-23)"


def test_an_example_is_shown_indented_below_its_problem_and_in_json():
    problem = Location("x.md", 5).problem("E-YAML-FULLWIDTH-COLON", line=5, key="doc_no", example="doc_no: 某政〔2024〕12号")
    first, *rest = problem.format().splitlines()
    assert first.startswith("x.md:5: E-YAML-FULLWIDTH-COLON 第 5 行“doc_no”") and first.endswith(")")
    assert rest == ["    应写成 (write it as):", "      doc_no: 某政〔2024〕12号"]
    assert problem.as_json()["example"] == "doc_no: 某政〔2024〕12号"


def test_a_value_with_line_breaks_keeps_its_problem_on_one_line():
    problem = Location("catalog/consultations/x.yaml", 7).problem(
        "E-DATE", field="截止日期（end）", key="end", found="2026-12-10\n为深入推进依法行政", detail="", detail_en="")
    assert "\n" not in problem.format()
    assert "2026-12-10⏎为深入推进依法行政" in problem.format()


def test_problems_are_listed_in_the_order_of_their_fields():
    """PROBLEM_ORDER, the key the build sorts by, is the dataclass's own order: file, line, code, its values."""
    problems = [Problem(path, line, code, params) for path in ("b.md", "a.md", "a/b.md") for line in (10, 2)
                for code in ("W-EXPIRING", "E-REQUIRED") for params in ((("key", "title"),), (("key", "organ"),), ())]
    assert sorted(problems, key=PROBLEM_ORDER) == sorted(problems)
    assert sorted(problems, key=PROBLEM_ORDER)[0] == Problem("a.md", 2, "E-REQUIRED")


@pytest.mark.parametrize("folder, cwd", [
    ("catalog/items", "project"),             # below the working directory, relative
    ("{root}/project/catalog/items", "project"),  # below it, absolute
    ("catalog/../catalog/items", "project"),  # not normalised
    ("../elsewhere/items", "project"),        # outside it, relative: shown as given
    ("{root}/elsewhere/items", "project"),    # outside it, absolute
    (".", "project/catalog/items"),           # the working directory itself
    ("{root}/project/catalog/items", "project/catalog/items/organ/2024"),  # the working directory inside it
])
def test_display_below_names_each_walked_file_as_display_path_does(tmp_path, monkeypatch, folder, cwd):
    for place in ("project/catalog/items/organ/2024", "elsewhere/items/organ/2024"):
        (tmp_path / place).mkdir(parents=True)
        (tmp_path / place / "item-1.md").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path / cwd)
    folder = folder.format(root=tmp_path)
    walked = [os.path.join(path, name) for path, _, names in os.walk(folder) for name in names]
    assert walked
    shown = display_below(Path(folder))
    assert [shown(path) for path in walked] == [display_path(path) for path in walked]


@pytest.mark.parametrize("seed", range(5))
def test_problems_are_ordered_each_once(seed):
    """As sorting a set of them would give: problems that differ in any compared field (the example, whether it was
    estimated, a parameter) are kept apart, equal ones found twice are listed once."""
    rng = random.Random(seed)
    codes = sorted(MESSAGES)[:5]
    made = [Problem(rng.choice(["a.md", "b.md", "目录/c.yaml"]), rng.randint(0, 3), rng.choice(codes),
                    rng.choice([(), (("field", "title"),), (("field", "doc_no"),)]), rng.choice(["", "title: 示例"]),
                    rng.random() < 0.3) for _ in range(300)]
    found = made + [Problem(p.path, p.line, p.code, p.params, p.example, p.estimated) for p in rng.sample(made, 100)]
    ordered = ordered_problems(found)
    assert ordered == sorted(set(found), key=PROBLEM_ORDER)
    assert len(ordered) == len(set(made)) < len(found)
