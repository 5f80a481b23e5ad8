"""Deterministic synthetic catalogs of any size, made from the example catalog's real Chinese text.

    python -m benchmarks.generate --items 10000 --out /tmp/catalog-10k

The same arguments always give the same files: benchmarks and tests can compare runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

from builder.statute import APPLICANT_TYPES, ART20_CATEGORIES, CHANNELS, OUTCOME_ROWS

EXAMPLE = Path(__file__).resolve().parent.parent / "catalog"
ORGAN_KINDS = ("government", "department", "department", "department", "township")
ORGAN_NAMES = ("人民政府", "发展和改革委员会", "教育局", "民政局", "财政局", "自然资源局", "生态环境局",
               "住房和城乡建设局", "交通运输局", "卫生健康委员会", "市场监督管理局", "应急管理局")
CITIES = ("长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延吉市", "济源市")
TOPICS = ("综合政务/政务公开", "国民经济管理/发展规划", "财政、金融、审计/财政", "城乡建设、环境保护/城乡建设",
          "卫生、体育/卫生", "劳动、人事、监察/就业", "民政、扶贫、救灾/社会救助", "教育/基础教育")
DOC_KINDS = ("通知", "意见", "办法", "决定", "通告", "批复", "实施方案", "工作要点")


def sentences_of_example() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted(EXAMPLE.rglob("*.md")))
    parts = re.split(r"(?<=[。；！？])", re.sub(r"[#*\s]+", "", text))
    return [p for p in parts if 12 <= len(p) <= 160]


def generate(out: Path, items: int, organs: int | None = None, seed: int = 1) -> Path:
    rng = random.Random(seed)
    sentences = sentences_of_example()
    organs = organs or max(4, min(400, items // 250))
    if out.exists():
        shutil.rmtree(out)
    (out / "organs").mkdir(parents=True)
    (out / "gongkai.yaml").write_text("site:\n  title: 合成目录（基准测试）\n  url: https://bench.example/\n",
                                     encoding="utf-8")
    organ_ids = []
    for n in range(organs):
        organ_id = f"organ-{n:04d}"
        name = CITIES[n % len(CITIES)] + ORGAN_NAMES[(n // len(CITIES)) % len(ORGAN_NAMES)] + (
            f"（{n // (len(CITIES) * len(ORGAN_NAMES)) + 1}）" if n >= len(CITIES) * len(ORGAN_NAMES) else "")
        kind = "government" if name.endswith("人民政府") else ORGAN_KINDS[n % len(ORGAN_KINDS)]
        if kind == "government" and not name.endswith("人民政府"):
            kind = "department"
        (out / "organs" / f"{organ_id}.yaml").write_text(
            f"name: {name}\nkind: {kind}\naddress: 示例路 {n + 1} 号\nphone: 0431-{n:08d}\n", encoding="utf-8")
        organ_ids.append((organ_id, name))
    categories = list(ART20_CATEGORIES)
    for n in range(items):
        organ_id, organ_name = organ_ids[n % organs]
        written = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(0, 3600))
        published = written + dt.timedelta(days=rng.randrange(1, 20))
        title = organ_name + "关于" + rng.choice(sentences)[:rng.randrange(8, 24)].rstrip("，。；、") + "的" + rng.choice(
            DOC_KINDS)
        body = "\n\n".join(rng.choice(sentences) for _ in range(rng.randrange(4, 30)))
        folder = out / "items" / organ_id / str(written.year)
        folder.mkdir(parents=True, exist_ok=True)
        attachment = ""
        if n % 10 == 0:
            (folder / f"item-{n:06d}-附件.txt").write_text(rng.choice(sentences) + "\n", encoding="utf-8")
            attachment = f"attachments:\n  - file: item-{n:06d}-附件.txt\n    title: 附件\n"
        doc_type = "行政规范性文件" if n % 7 == 0 else "其他文件"
        (folder / f"item-{n:06d}.md").write_text(
            "---\n"
            f"index_no: GK{int(organ_id[-4:]):05d}/{written.year}-{n:06d}\n"
            f"title: {title}\n"
            f"organ: {organ_id}\n"
            f"doc_no: 示发〔{written.year}〕{n % 300 + 1}号\n"
            f"written: {written.isoformat()}\n"
            f"published: {published.isoformat()}\n"
            f"category: {categories[n % len(categories)]}\n"
            f"doc_type: {doc_type}\n"
            f"topics: [{TOPICS[n % len(TOPICS)]}]\n"
            f"summary: {rng.choice(sentences)}\n"
            f"{attachment}"
            "---\n\n" + body + "\n", encoding="utf-8")
    _requests(out, rng, organ_ids, max(10, items // 20))
    _reports(out, rng, organ_ids, 2025)
    return out


def change_items(catalog: Path, count: int, round_: int, first: int = 0) -> None:
    """Edit the body of ``count`` items from the ``first``-th (in the order of their paths, wrapping round), as an
    office publishing corrections would."""
    paths = sorted((catalog / "items").rglob("item-*.md"))
    for path in (paths[(first + k) % len(paths)] for k in range(min(count, len(paths)))):
        with path.open("a", encoding="utf-8") as file:
            file.write(f"\n（第 {round_} 次更正：补充说明。）\n")


PUBLISHED_NEW = dt.date(2026, 11, 20)  # after every generated item, before the benchmarks' --today


def publish_items(catalog: Path, count: int, round_: int) -> None:
    """Publish ``count`` new items, newer than every generated one, as an office does every working day: each a copy
    of the first generated item with a number, title and dates of its own."""
    template = sorted((catalog / "items").rglob("item-*.md"))[0]
    text = template.read_text(encoding="utf-8")
    written = PUBLISHED_NEW - dt.timedelta(days=3)
    for k in range(count):
        number = 800000 + 1000 * round_ + k

        def field(match: re.Match) -> str:
            name, value = match[1], match[2]
            value = {"index_no": re.sub(r"/\d{4}-\d+$", f"/{written.year}-{number}", value),
                     "title": f"{value}（第 {number} 号）", "written": written.isoformat(),
                     "published": PUBLISHED_NEW.isoformat()}[name]
            return f"{name}: {value}"

        new = re.sub(r"^(index_no|title|written|published): (.*)$", field, text, count=4, flags=re.M)
        (template.parent / f"item-{number}.md").write_text(new, encoding="utf-8")


def _reports(out: Path, rng: random.Random, organ_ids, year: int) -> None:
    """Every organ's report on ``year``, published on time (31 January suits departments and governments)."""
    folder = out / "reports" / str(year)
    folder.mkdir(parents=True)
    zeros = "{upheld: 0, corrected: 0, other: 0, pending: 0}"
    for n, (organ_id, _) in enumerate(organ_ids):
        (folder / f"{organ_id}.yaml").write_text(
            f"index_no: GK{n:05d}/{year + 1}-{900000 + n}\npublished: {year + 1}-01-20\n"
            f"licences: {rng.randrange(0, 2000)}\npenalties: {rng.randrange(0, 500)}\n"
            f"enforcement: {rng.randrange(0, 50)}\nfee_income: {rng.randrange(0, 100000) / 100}\n"
            f"review: {zeros}\nlitigation_direct: {zeros}\nlitigation_after_review: {zeros}\n", encoding="utf-8")


def _requests(out: Path, rng: random.Random, organ_ids, count: int) -> None:
    (out / "requests").mkdir()
    outcomes = [o for o in OUTCOME_ROWS if o not in ("逾期不补正", "逾期未缴费", "补正后仍不明确")]
    lines = []
    for n in range(count):
        received = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(0, 600))
        replied = received + dt.timedelta(days=rng.randrange(0, 25))
        lines.append(
            f"- id: Q-{n:06d}\n  organ: {organ_ids[n % len(organ_ids)][0]}\n  received: {received.isoformat()}\n"
            f"  channel: {rng.choice(CHANNELS)}\n  applicant_type: {rng.choice(APPLICANT_TYPES)}\n"
            f"  replied: {replied.isoformat()}\n  outcome: {rng.choice(outcomes)}\n")
    (out / "requests" / "requests.yaml").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--organs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.out, args.items, args.organs, args.seed)


if __name__ == "__main__":
    main()
