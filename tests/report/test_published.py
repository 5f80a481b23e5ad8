"""A published report shows the figures it was published with: recorded in the catalog by `gongkai report record`,
kept on the site when the catalog changes, compared with what the catalog computes now, corrected on purpose."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import yaml
from conftest import FIXTURES, gongkai, make_catalog, tree_digest

from builder.model.load import load_catalog
from builder.report.published import shown_report

TODAY = "2026-11-23"
RECORDED = Path("reports/2025/demo.published.yaml")
# Two requests of 2025 to the demo organ: both 予以公开, one from a 自然人, one from a 商业企业.
LOG = """\
- id: P-1
  organ: demo
  received: 2025-06-02
  channel: 网上
  applicant_type: 自然人
  replied: 2025-06-20
  outcome: 予以公开
- id: P-2
  organ: demo
  received: 2025-07-01
  channel: 网上
  applicant_type: 商业企业
  replied: 2025-07-15
  outcome: 予以公开
"""
# What staff correct later: the first request was in fact refused as a 国家秘密.
CORRECTED_LOG = LOG.replace("outcome: 予以公开", "outcome: 国家秘密", 1)
OPENED = "（一）予以公开"
SECRET = "（三）不予公开/1.属于国家秘密"
ATOM = "{http://www.w3.org/2005/Atom}"


def _catalog(tmp_path: Path, log: str = LOG) -> Path:
    """The base catalog, whose 2025 report was published on 2026-03-20, with ``log`` as its 2025 requests and no
    figures recorded yet."""
    catalog = make_catalog(tmp_path)
    (catalog / RECORDED).unlink()
    (catalog / "requests" / "2025.yaml").write_text(log, encoding="utf-8")
    return catalog


def _build(catalog: Path, site: Path, today: str = TODAY, *args: str):
    result = gongkai("build", "--catalog", str(catalog), "--today", today, "--site-dir", str(site), *args)
    assert result.returncode == 0, result.stderr
    return result


def _report_page(site: Path) -> Path:
    """The 2025 report's page, beside the folder of its data."""
    [folder] = [p.parent for p in site.rglob("report-2025.yaml")]
    return folder.with_name(folder.name + ".html")


def _table_row(site: Path, label: str) -> list[str]:
    """The cells of the row ``label`` of the report page's request table, as shown."""
    html = _report_page(site).read_text(encoding="utf-8")
    table = html[html.index('id="gk-table-requests"'):]
    row = re.search(r"<tr>((?:(?!</tr>).)*?>" + re.escape(label.split("/")[-1]) + r"</th>.*?)</tr>", table, re.S)
    return re.findall(r"<td>([^<]*)</td>", row.group(1))


def _downloads(site: Path) -> dict[str, list]:
    """Row OPENED and row SECRET of the report's YAML, JSON and CSV files."""
    folder = _report_page(site).with_suffix("")
    found = {}
    for kind, read in (("yaml", yaml.safe_load), ("json", json.loads)):
        rows = read((folder / f"report-2025.{kind}").read_text(encoding="utf-8"))["requests"]
        found[kind] = [rows[OPENED], rows[SECRET]]
    lines = list(csv.reader(io.StringIO((folder / "report-2025.csv").read_text(encoding="utf-8-sig"))))
    found["csv"] = [[int(v) for s, row, _, v in lines if s == "三" and row == key] for key in (OPENED, SECRET)]
    return found


def test_a_published_report_keeps_its_recorded_figures_when_the_request_log_changes(tmp_path):
    catalog = _catalog(tmp_path)
    recorded = gongkai("report", "record", "--catalog", str(catalog), "--organ", "demo", "--year", "2025",
                       "--today", TODAY)
    assert recorded.returncode == 0, recorded.stderr
    assert yaml.safe_load((catalog / RECORDED).read_text(encoding="utf-8"))["requests"][OPENED] == [1, 1, 0, 0, 0, 0, 2]
    first = _build(catalog, tmp_path / "site")
    assert "W-REPORT" not in first.stdout, first.stdout

    (catalog / "requests" / "2025.yaml").write_text(CORRECTED_LOG, encoding="utf-8")
    site = tmp_path / "site"
    again = _build(catalog, site)
    # The page and its three downloads still show what was published.
    assert _table_row(site, OPENED) == ["1", "1", "0", "0", "0", "0", "2"]
    assert _table_row(site, SECRET) == ["0"] * 7
    published = [[1, 1, 0, 0, 0, 0, 2], [0] * 7]
    assert _downloads(site) == {"yaml": published, "json": published, "csv": published}
    # The build and validate say which cells differ, at the first one's line in the recorded file, and what to do.
    text = (catalog / RECORDED).read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if row.startswith(f"  {OPENED}:"))
    validated = gongkai("validate", "--catalog", str(catalog), "--today", TODAY)
    for output in (again.stdout, validated.stdout):
        [warning] = [w for w in output.splitlines() if "W-REPORT-CHANGED" in w]
        assert warning.startswith(f"{catalog / RECORDED}:{line}: W-REPORT-CHANGED 已公布的 2025 年度报告有 4 处数字"), warning
        assert f"第三部分“{OPENED}”行“自然人”列公布为 1，现在计算为 0" in warning
        assert f"第三部分“{SECRET}”行“总计”列公布为 0，现在计算为 1" in warning
        assert "gongkai report record --organ demo --year 2025 --correct" in warning
    assert validated.returncode == 0  # a warning: publishing is not blocked
    # Deterministic: the same catalog and day build the same site, from nothing as from the last build.
    _build(catalog, tmp_path / "full", TODAY, "--full")
    assert tree_digest(tmp_path / "full") == tree_digest(site)


def test_a_correction_is_published_on_purpose_and_its_day_shown(tmp_path):
    catalog = _catalog(tmp_path)
    config = catalog / "gongkai.yaml"  # an address: the sitemap lists pages only with one
    config.write_text(config.read_text(encoding="utf-8").replace("site:\n", "site:\n  url: https://gk.example.gov.cn/\n", 1),
                      encoding="utf-8")
    record = ("report", "record", "--catalog", str(catalog), "--organ", "demo", "--year", "2025")
    assert gongkai(*record, "--today", TODAY).returncode == 0
    (catalog / "requests" / "2025.yaml").write_text(CORRECTED_LOG, encoding="utf-8")
    before = (catalog / RECORDED).read_bytes()
    refused = gongkai(*record, "--today", "2026-11-24")
    assert refused.returncode == 1 and "有 4 处不同" in refused.stderr and "--correct" in refused.stderr
    assert (catalog / RECORDED).read_bytes() == before
    assert gongkai(*record, "--today", "2026-11-24", "--correct").returncode == 0
    written = yaml.safe_load((catalog / RECORDED).read_text(encoding="utf-8"))
    assert written["corrected"] == [dt.date(2026, 11, 24)] and written["requests"][SECRET] == [1, 0, 0, 0, 0, 0, 1]
    site = tmp_path / "site"
    built = _build(catalog, site, "2026-11-24")
    assert "W-REPORT" not in built.stdout, built.stdout
    assert _table_row(site, SECRET) == ["1", "0", "0", "0", "0", "0", "1"]
    assert "本报告的数字已于 2026年11月24日 更正。" in _report_page(site).read_text(encoding="utf-8")
    assert yaml.safe_load((_report_page(site).with_suffix("") / "report-2025.yaml").read_text(encoding="utf-8"))["corrected"] == [
        dt.date(2026, 11, 24)]
    # A correction is news: the reports' feed and the sitemap give the page the day of it, not of its publication.
    feed = ElementTree.parse(site / "feeds" / "reports.atom").getroot()
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated").startswith("2026-11-24"), entry.findtext(f"{ATOM}updated")
    url = _report_page(site).relative_to(site).as_posix()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(rf"{re.escape(url)}</loc>\s*<lastmod>2026-11-24</lastmod>", sitemap), sitemap
    # Recording again with nothing changed leaves the file as it is.
    again = gongkai(*record, "--today", "2026-11-25", "--correct")
    assert again.returncode == 0 and "未修改" in again.stderr
    assert yaml.safe_load((catalog / RECORDED).read_text(encoding="utf-8"))["corrected"] == [dt.date(2026, 11, 24)]


def test_a_published_report_without_recorded_figures_warns_and_shows_them_as_computed(tmp_path):
    catalog = _catalog(tmp_path, CORRECTED_LOG)
    site = tmp_path / "site"
    built = _build(catalog, site)
    statistics = catalog / "reports" / "2025" / "demo.yaml"
    line = next(n for n, row in enumerate(statistics.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("published:"))
    [warning] = [w for w in built.stdout.splitlines() if "W-REPORT-" in w]
    assert warning.startswith(f"{statistics}:{line}: W-REPORT-UNRECORDED 2025 年度报告已于 2026-03-20 公布"), warning
    assert f"gongkai report record --organ demo --year 2025，把数字记录在 {catalog / RECORDED} 中" in warning
    assert _table_row(site, SECRET) == ["1", "0", "0", "0", "0", "0", "1"]  # as the log has it now
    assert not (catalog / RECORDED).exists()  # the build wrote nothing into the catalog


def test_a_report_not_yet_published_follows_the_log_and_cannot_be_recorded(tmp_path):
    catalog = _catalog(tmp_path)
    assert gongkai("report", "record", "--catalog", str(catalog), "--organ", "demo", "--year", "2025",
                   "--today", TODAY).returncode == 0
    (catalog / "requests" / "2025.yaml").write_text(CORRECTED_LOG, encoding="utf-8")
    loaded, _ = load_catalog(catalog)
    [source] = loaded.reports
    # Published on 2026-03-20: on the day before, the report is a plan and is what the log gives.
    assert shown_report(loaded, source, dt.date(2026, 3, 19))[0].requests[SECRET] == [1, 0, 0, 0, 0, 0, 1]
    assert shown_report(loaded, source, dt.date(2026, 3, 20))[0].requests[SECRET] == [0] * 7
    validated = gongkai("validate", "--catalog", str(catalog), "--today", "2026-03-19")
    assert "W-REPORT-CHANGED" not in validated.stdout and "W-REPORT-UNRECORDED" not in validated.stdout
    (catalog / RECORDED).unlink()
    refused = gongkai("report", "record", "--catalog", str(catalog), "--organ", "demo", "--year", "2025",
                      "--today", "2026-03-19")
    assert refused.returncode == 1 and "尚未公布" in refused.stderr and not (catalog / RECORDED).exists()


def test_a_recorded_file_without_the_numbers_of_its_text_is_an_error_not_a_zero(tmp_path):
    """一 and 六 state two numbers beside the tables; a file without them would show them as 0."""
    catalog = make_catalog(tmp_path)
    text = (catalog / RECORDED).read_text(encoding="utf-8")
    (catalog / RECORDED).write_text(re.sub(r"fee_collected: .*\n", "", text), encoding="utf-8")
    result = gongkai("validate", "--catalog", str(catalog), "--today", TODAY)
    assert result.returncode == 1
    assert f"{catalog / RECORDED}:" in result.stdout and "E-REPORT-BLANK 六、信息处理费金额（元）（fee_collected）为空" in result.stdout


def test_the_base_fixture_records_what_it_computes():
    """The fixtures' recorded figures are what their catalogs compute: a test changing them sees the difference."""
    loaded, _ = load_catalog(FIXTURES / "base" / "catalog")
    [source] = loaded.reports
    shown, current = shown_report(loaded, source, dt.date(2026, 11, 23))
    assert shown.path.endswith("demo.published.yaml") and current


def test_figures_recorded_by_hand_that_do_not_add_up_or_are_blank_stop_the_build(tmp_path):
    """docs/report.md lets staff fix the file by hand: a blank or mistyped cell was published as None or as typed (and
    a blank 六 stopped the build with 内部错误): what the site shows as published must be whole and add up."""
    catalog = make_catalog(tmp_path)
    text = (catalog / RECORDED).read_text(encoding="utf-8")
    lines = text.splitlines()
    opened = next(n for n, row in enumerate(lines, 1) if row.startswith(f"  {OPENED}:"))
    pending = next(n for n, row in enumerate(lines, 1) if "尚未审结: 0" in row)
    edits = {
        "blank": (re.sub(rf"(  {re.escape(OPENED)}: )\[\d+", r"\1[null", text), opened, "E-REPORT-BLANK"),
        "typed": (re.sub(rf"(  {re.escape(OPENED)}: )\[\d+", r"\g<1>[1四", text), opened, "E-REPORT-NUMBER"),
        "items": (re.sub(r"items_published: .*", "items_published: ~", text), None, "E-REPORT-BLANK 一、总体情况中的主动公开信息条数"),
        "fee": (re.sub(r"fee_collected: .*", "fee_collected:", text), None, "E-REPORT-BLANK 六、信息处理费金额（元）"),
        # Found by the fuzz tests: a mapping in a cell ended validation with 内部错误 (a problem must be hashable).
        "mapping": (text.replace("尚未审结: 0", "尚未审结: {}", 1), pending, "E-REPORT-NUMBER"),
    }
    for name, (edited, line, code) in edits.items():
        (catalog / RECORDED).write_text(edited, encoding="utf-8")
        site = tmp_path / f"site-{name}"
        built = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
        assert built.returncode == 1, (name, built.stdout)
        assert "内部错误" not in built.stdout + built.stderr, name
        found = [w for w in built.stdout.splitlines() if code in w]
        assert found and found[0].startswith(f"{catalog / RECORDED}:{line or ''}"), (name, built.stdout)
        assert not site.exists(), name


def test_the_charts_drawn_from_the_log_are_left_out_while_they_disagree_with_the_figures_shown(tmp_path):
    """The month and on-time charts come from the request log: after a change of the log, beside a table showing the
    figures as published, they contradicted it (a month more than the year's total)."""
    catalog = _catalog(tmp_path)
    assert gongkai("report", "record", "--catalog", str(catalog), "--organ", "demo", "--year", "2025",
                   "--today", TODAY).returncode == 0
    site = tmp_path / "site"
    _build(catalog, site)
    page = _report_page(site).read_text(encoding="utf-8")
    assert all(chart in page for chart in ("gk-chart-month", "gk-chart-outcome", "gk-chart-ontime"))
    (catalog / "requests" / "2025.yaml").write_text(CORRECTED_LOG + LOG.replace("P-1", "P-3").replace("P-2", "P-4"),
                                                   encoding="utf-8")
    _build(catalog, site)
    page = _report_page(site).read_text(encoding="utf-8")
    assert "gk-chart-outcome" in page and "gk-chart-month" not in page and "gk-chart-ontime" not in page


def test_a_record_without_its_statistics_file_says_so_and_keeps_its_history(tmp_path):
    """Found by a review: a record whose statistics file was deleted (or whose organ was renamed) was called a file
    the catalog does not read, while W-REPORT-UNRECORDED's advice, recording anew, would replace what was
    published and its corrections with what the catalog computes now."""
    catalog = make_catalog(tmp_path)
    statistics = catalog / "reports" / "2025" / "demo.yaml"
    statistics.unlink()
    result = gongkai("validate", "--catalog", str(catalog), "--today", TODAY)
    [warning] = [w for w in result.stdout.splitlines() if "W-REPORT-RECORD-ALONE" in w]
    assert warning.startswith(f"{catalog / RECORDED}:0: W-REPORT-RECORD-ALONE 这里记录了 2025 年度报告公布时的数字，"
                              f"但没有它的统计数文件 {statistics}，网站上没有这份报告"), warning
    assert "不要重新记录" in warning and "W-FILE-IGNORED" not in result.stdout


def test_last_years_report_as_published_is_what_this_years_carry_over_is_checked_against(tmp_path):
    """Found by a review: `report check --previous` given last year's statistics file computed last year's report
    from the catalog as it is now, so a request whose reply date was corrected since moved out of last year's 结转
    and into nothing, and this year's 上年结转 always agreed: readers compare with the report as published."""
    catalog = _catalog(tmp_path, LOG + """\
- id: P-9
  organ: demo
  received: 2025-12-20
  channel: 网上
  applicant_type: 自然人
  replied: 2026-01-10
  outcome: 予以公开
""")
    assert gongkai("report", "record", "--catalog", str(catalog), "--organ", "demo", "--year", "2025",
                   "--today", TODAY).returncode == 0
    log = catalog / "requests" / "2025.yaml"
    log.write_text(log.read_text(encoding="utf-8").replace("replied: 2026-01-10", "replied: 2025-12-30"),
                   encoding="utf-8")
    this_year = catalog / "reports" / "2026" / "demo.yaml"
    this_year.parent.mkdir()
    this_year.write_text((catalog / "reports" / "2025" / "demo.yaml").read_text(encoding="utf-8")
                         .replace("/2026-00090", "/2027-00090").replace("published: 2026-03-20", ""), encoding="utf-8")
    checked = gongkai("report", "check", str(this_year), "--previous", str(catalog / "reports" / "2025" / "demo.yaml"))
    carried = [w for w in checked.stdout.splitlines() if "W-REPORT-CARRYOVER" in w]
    assert carried and "2025 年度报告“四、结转下年度继续办理”" in carried[0], checked.stdout
