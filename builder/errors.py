"""Problems found in a catalog, and the one formatter that shows them to people.

Every message a user sees about their data has the form
``path:line: CODE 中文说明 (English)``. The Chinese text says what is wrong and
what to do; the English is for developers and search engines. Messages are
declared once, in ``MESSAGES``; ``docs/errors.md`` lists them and a test keeps
the two in step.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Message:
    severity: Severity
    zh: str
    en: str


E, W = Severity.ERROR, Severity.WARNING

# Codes start with E- (errors: exit status 1) or W- (warnings: reported, exit 0).
MESSAGES: dict[str, Message] = {
    # -- reading files --
    "E-FILE-MISSING": Message(E, "找不到{what}：请创建该文件或检查 --catalog 参数", "{what} not found"),
    "E-ENCODING": Message(E, "文件不是 UTF-8 编码（常见于 GBK/GB2312）：请用编辑器“另存为 UTF-8”", "file is not UTF-8"),
    "E-YAML-SYNTAX": Message(E, "YAML 语法错误：{detail}。请检查缩进、冒号后的空格和引号是否成对", "YAML syntax error: {detail}"),
    "E-FRONT-MATTER": Message(E, "公开事项文件须以 --- 开头的 YAML 头信息开始，并以另一行 --- 结束，正文写在其后", "item file needs YAML front matter between --- lines"),
    "E-DUPLICATE-KEY": Message(E, "字段“{key}”重复出现（第 {first} 行已有）：请删除其中一个", "duplicate key {key} (first on line {first})"),
    "E-TYPE": Message(E, "{field}应为{expected}，实际为“{found}”", "{key}: expected {expected_en}, found {found!r}"),
    "E-DATE": Message(E, "{field}“{found}”不是有效日期：请写成 YYYY-MM-DD，例如 2026-03-02", "{key}: {found!r} is not a valid date (YYYY-MM-DD)"),
    "E-REQUIRED": Message(E, "缺少必填字段“{key}”（{title}）", "missing required key {key}"),
    "E-UNKNOWN-KEY": Message(E, "未知字段“{key}”{suggestion}：请检查拼写，允许的字段见 docs/catalog.md", "unknown key {key}"),
    "E-CHOICE": Message(E, "{field}“{found}”不在允许的取值中：{choices}", "{key}: {found!r} is not one of the allowed values"),
    "E-NOT-POSITIVE": Message(E, "{field}应为正整数，实际为 {found}", "{key}: must be a positive integer"),
    # -- identifiers --
    "E-INDEX-FORMAT": Message(E, "索引号“{found}”格式不正确：应为“前缀/年份-序号”，例如 11220000013544357T/2005-00138", "index number {found!r} is malformed"),
    "E-INDEX-DUPLICATE": Message(E, "索引号“{found}”与 {other} 重复：索引号在整个目录中必须唯一", "index number {found!r} duplicates {other}"),
    "W-INDEX-YEAR": Message(W, "索引号中的年份 {period_year} 与成文日期的年份 {year} 不一致：请核对", "index number year {period_year} differs from the item's year {year}"),
    "E-CREDIT-FORMAT": Message(E, "统一社会信用代码“{found}”应为 18 位，且只含数字和大写字母（不含 I、O、Z、S、V）", "credit code {found!r} must be 18 characters of the GB 32100 alphabet"),
    "W-CREDIT-CHECKSUM": Message(W, "统一社会信用代码“{found}”校验位不符（应为 {expected}）：请核对；部分早期代码确实如此", "credit code {found!r} fails its check digit (expected {expected})"),
    "E-ID-DUPLICATE": Message(E, "{what}编号“{found}”与 {other} 重复：编号必须唯一", "{what_en} id {found!r} duplicates {other}"),
    "E-URL-COLLISION": Message(E, "{what}“{found}”在网站上的地址 {url} 与 {other} 相同，发布后一个会覆盖另一个：请修改其中一个", "{what_en} {found!r} would be published at {url}, like {other}"),
    "E-URL-UNSAFE": Message(E, "{what}“{found}”不能用作网站地址（{url}）：请改用字母、数字、汉字和 - 组成的编号", "{what_en} {found!r} cannot be a web address ({url})"),
    # -- references --
    "E-ORGAN-UNKNOWN": Message(E, "机关“{found}”未定义：请在 organs/ 下添加 {found}.yaml，或改为已有机关：{known}", "organ {found!r} is not defined in organs/"),
    "E-ATTACHMENT-MISSING": Message(E, "附件“{found}”不存在：请把文件放到公开事项文件旁边，或修正路径", "attachment {found!r} does not exist"),
    "E-ATTACHMENT-OUTSIDE": Message(E, "附件路径“{found}”指向目录之外：附件必须放在 catalog/ 目录内", "attachment path {found!r} leaves the catalog"),
    "E-FEE-UNKNOWN": Message(E, "收费项目“{found}”未定义：请在 fees/ 中添加该编号，或改为“不收费”（fees: []）", "fee item {found!r} is not defined"),
    "E-FEE-REMOVED": Message(E, "收费项目“{found}”已于 {removed} 取消，仍被现行权力事项引用：请更新收费依据", "fee item {found!r} was removed on {removed} but is still linked"),
    # -- dates that contradict each other --
    "E-DATE-ORDER": Message(E, "{later_label}（{later}）早于{earlier_label}（{earlier}）：请核对日期", "{later_en} ({later}) is before {earlier_en} ({earlier})"),
    "W-DATE-FUTURE": Message(W, "{field}（{found}）晚于今天（{today}）：请核对是否为预定日期", "{field} ({found}) is after today ({today})"),
    # -- statutory clocks --
    "W-PUBLISH-LATE": Message(W, "{what}于 {formed} 形成或变更，应在 {due} 前公开（{article}，{days} 个工作日），实际 {published} 公开，逾期 {late} 个工作日", "published {late} working days after the {days}-working-day limit ({due})"),
    "W-PUBLISH-OVERDUE": Message(W, "{what}于 {formed} 形成或变更，应在 {due} 前公开（{article}），至今（{today}）尚未公开：请尽快发布", "not yet published, overdue since {due}"),
    "E-PUBLISH-BASIS": Message(E, "另行规定的公开时限须写明依据（publish_within.basis），例如某法律的条款", "a publication period override needs its legal basis"),
    "E-EXTENSION-INCOMPLETE": Message(E, "延长答复期限须同时记录机构负责人同意日期（approved）和告知申请人日期（notified）（条例第三十三条）", "an extension needs both the approval date and the notice date (art. 33)"),
    "W-EXTENSION-NOTICE-LATE": Message(W, "延期告知日期 {notified} 晚于原答复期限 {due}：延期应在期限届满前告知申请人（条例第三十三条）", "extension notified on {notified}, after the original due date {due}"),
    "W-CORRECTION-LATE": Message(W, "补正告知于 {notified} 发出，超过收到申请后 {days} 个工作日（应在 {due} 前，{article}）", "correction notice sent on {notified}, after the {days}-working-day limit ({due})"),
    "W-REPLY-LATE": Message(W, "答复日期 {replied} 晚于答复期限 {due}（{basis}）：逾期 {late} 个工作日", "replied {late} working days after the due date {due}"),
    "W-REPLY-OVERDUE": Message(W, "申请尚未答复，答复期限 {due} 已过（今天 {today}）：请尽快答复或记录延期", "open request overdue since {due}"),
    "W-WITHDRAWAL-LATE": Message(W, "处罚决定变更或撤销（{changed}）后，应在 {days} 个工作日内（{due} 前）撤下原信息并公开原因（{article}），实际 {withdrawn}", "penalty decision withdrawn on {withdrawn}, after the {days}-working-day limit ({due})"),
    "W-WITHDRAWAL-OVERDUE": Message(W, "处罚决定已于 {changed} 变更或撤销，应在 {due} 前撤下原信息并公开原因（{article}），至今尚未处理", "penalty decision withdrawal overdue since {due}"),
    "E-OUTCOME-REPLY": Message(E, "已答复的申请须同时填写答复日期（replied）和办理结果（outcome）", "a replied request needs both replied and outcome"),
    "E-OUTCOME-CORRECTION": Message(E, "办理结果“{outcome}”需要先记录补正告知（correction.notified）{extra}", "outcome {outcome!r} needs a recorded correction notice{extra_en}"),
    "E-OUTCOME-FEE": Message(E, "办理结果“{outcome}”需要记录收费通知（fee.notified）且未缴费", "outcome {outcome!r} needs a fee notice that was not paid"),
    "E-FEE-BOTH": Message(E, "信息处理费只能按件或按量计收，不能同时使用（处理费办法）：请只保留 count 或 pages 之一", "a fee is charged by count or by pages, never both"),
    "E-FEE-AMOUNT": Message(E, "信息处理费应为 {expected} 元（{basis}），记录为 {found} 元：请更正", "fee should be {expected} yuan ({basis_en}), recorded {found}"),
    "E-PROMISE-EXCEEDS": Message(E, "承诺时限 {promised} 个工作日超过法定时限 {legal} 个工作日：承诺时限不得超过法定时限", "promised limit {promised} exceeds the legal limit {legal}"),
    # -- validity --
    "W-EXPIRING": Message(W, "该文件将于 {expires} 失效（{reason}）：请评估是否延续、修订或废止", "document expires on {expires} ({reason_en})"),
    # -- calendar --
    "E-CALENDAR-YEAR": Message(E, "缺少 {year} 年的法定节假日和调休安排：请在 {file} 中按国务院办公厅通知补充 {year} 年（或使用 --provisional 按周末预估）", "no holiday data for {year}: add it to {file}"),
    "E-HOLIDAY-CONFLICT": Message(E, "{found} 同时被列为放假日和调休上班日：请按通知只保留一处", "{found} is listed both as holiday and as make-up workday"),
    "E-HOLIDAY-YEAR": Message(E, "{found} 不属于 {year} 年：请移到对应年份下", "{found} does not belong to year {year}"),
    # -- annual report (rules.md §4.4; messages name rows and columns by the format's labels) --
    "E-REPORT-LAYOUT": Message(E, "{detail}：年报数据应采用国办公开办函〔2021〕30号格式（见 docs/report.md）", "{detail_en}: not the 2021 report layout"),
    "E-REPORT-LAYOUT-2019": Message(E, "这是 2019 年试行格式：“（六）其他处理”只有一行。请按国办公开办函〔2021〕30号格式分为“1.申请人无正当理由逾期不补正……”“2.申请人逾期未按收费通知要求缴纳费用……”“3.其他”三行", "this is the 2019 trial layout (one （六） row): split it into the three rows of the 2021 layout"),
    "E-REPORT-BLANK": Message(E, "{position}为空：没有发生的事项应填 0", "blank cell: write 0"),
    "E-REPORT-NUMBER": Message(E, "{position}应为数字，实际为“{found}”", "cell is not a number: {found!r}"),
    "E-REPORT-NEGATIVE": Message(E, "{position}为负数（{found}）", "negative cell ({found})"),
    "E-REPORT-ROW-TOTAL": Message(E, "第三部分“{row}”行：“总计”列应为六类申请人之和 {expected}，实际为 {found}", "row total should be {expected}, found {found}"),
    "E-REPORT-RESULT-TOTAL": Message(E, "第三部分“（七）总计”行“{column}”列：应为（一）至（六）各行之和 {expected}，实际为 {found}", "（七） total of column {column} should be {expected}, found {found}"),
    "E-REPORT-IDENTITY": Message(E, "第三部分“{column}”列：一、本年新收（{new}）+ 二、上年结转（{carried}）= {left}，应等于（七）总计（{total}）+ 四、结转下年度继续办理（{next}）= {right}", "column {column}: 一 + 二 = {left} but （七） + 四 = {right}"),
    "E-REPORT-REVIEW-TOTAL": Message(E, "第四部分“{row}”：“总计”应为结果维持、结果纠正、其他结果、尚未审结之和 {expected}，实际为 {found}", "{row}: total should be {expected}, found {found}"),
    "W-REPORT-CARRYOVER": Message(W, "第三部分“二、上年结转政府信息公开申请数量”行“{column}”列为 {found}，但 {previous_year} 年度报告“四、结转下年度继续办理”为 {expected}", "carried over {found}, but last year's report carried {expected} forward"),
    "W-REPORT-IN-FORCE": Message(W, "第二部分“{row}”现行有效件数为 {found}，按上年现行有效 {previous} + 本年制发 {issued} − 本年废止 {repealed} 应为 {expected}（有文件到期失效时可能确实不同，请核对）", "{row} in force {found}, expected {expected} from last year"),
    "W-REPORT-DUE": Message(W, "{organ}{year} 年政府信息公开工作年度报告尚未公布：应在 {due} 前公布（条例第四十九条）。请在 reports/{year}/ 下准备报告", "the {year} annual report is due on {due}"),
    "E-REPORT-OVERDUE": Message(E, "{organ}{year} 年政府信息公开工作年度报告逾期未公布：应在 {due} 前公布（条例第四十九条）。请在 reports/{year}/{organ_id}.yaml 中填写统计数并写明发布日期", "the {year} annual report was due on {due} and is not published"),
    "W-REPORT-LATE": Message(W, "{year} 年度报告于 {published} 公布，晚于公布期限 {due}（条例第四十九条）", "the {year} report was published on {published}, after {due}"),
    "E-SETTING": Message(E, "设置“{key}”{detail}", "setting {key}: {detail_en}"),
}


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, at a file and line."""

    path: str
    line: int
    code: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def severity(self) -> Severity:
        return MESSAGES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def texts(self) -> tuple[str, str]:
        message = MESSAGES[self.code]
        values = _Defaulting(self.params)
        return message.zh.format_map(values), message.en.format_map(values)

    def format(self) -> str:
        zh, en = self.texts()
        return f"{self.path}:{self.line}: {self.code} {zh} ({en})"

    def as_json(self) -> dict:
        zh, en = self.texts()
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": zh,
            "message_en": en,
        }


class _Defaulting(dict):
    """Format parameters; a missing one shows as empty rather than crashing."""

    def __init__(self, params):
        super().__init__((k, "" if v is None else v) for k, v in params)

    def __missing__(self, key):
        return ""


class Location:
    """Where something was written: a display path and a line number."""

    __slots__ = ("path", "line")

    def __init__(self, path: str, line: int):
        self.path = path
        self.line = line

    def problem(self, code: str, **params) -> Problem:
        if code not in MESSAGES:
            raise KeyError(f"undeclared problem code {code}")
        return Problem(self.path, self.line, code, tuple(sorted(params.items())))

    def at(self, line: int) -> "Location":
        return Location(self.path, line)

    def __repr__(self):
        return f"{self.path}:{self.line}"


def display_path(path: Path | str) -> str:
    """A path as users should see it: relative to the working directory when it lies below it.

    ``os.path.abspath`` rather than ``resolve()``, and no ``relpath``: this runs for each of 100,000 files.
    """
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    below = cwd.rstrip(os.sep) + os.sep
    if absolute == cwd:
        return "."
    return absolute[len(below):] if absolute.startswith(below) else str(path)


class GongkaiError(Exception):
    """A failure to show the user as a message, never as a traceback."""


class CalendarYearMissing(GongkaiError):
    def __init__(self, year: int, holidays_file: str):
        self.year = year
        self.holidays_file = holidays_file
        super().__init__(
            f"缺少 {year} 年的法定节假日和调休安排：请在 {holidays_file} 中按国务院办公厅通知补充 {year} 年"
            f"（或使用 --provisional 按周末预估） (no holiday data for {year}: add it to {holidays_file})"
        )


class CatalogChanged(GongkaiError):
    """A catalog file changed while the site was being built from it (bodies are read when pages are written)."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path}：文件在生成网站期间被修改，网站未更新；请重新运行 gongkai build "
                         f"(the file changed during the build; the site was not updated)")

    def __reduce__(self):  # raised in worker processes: rebuilt from the path, not from the message
        return type(self), (self.path,)
