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
import errno
import operator
import os
import re
from collections.abc import Callable, Iterable
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
    "E-FILE-MISSING": Message(E, "找不到{what}：请创建该文件或检查 --catalog 参数", "{what_en} not found"),
    "E-FILE-UNREADABLE": Message(E, "无法读取{what}（{reason}）：其中的内容都没有读入。请检查权限（运行 gongkai 的用户须能读取），"
                                 "或把它换成应有的{kind}", "{what_en} cannot be read ({reason_en})"),
    "W-FILE-IGNORED": Message(W, "{what} 不在目录读取的位置，没有读入：{advice}", "{what_en} is not where the catalog is read: ignored"),
    "E-FILE-SUFFIX": Message(E, "文件名以 {found} 结尾，不会被读取：请改名为 {expected}", "files ending in {found} are not read; "
                             "rename it {expected}"),
    "E-ENCODING": Message(E, "文件不是 UTF-8 编码（常见于 GBK/GB2312）：请用编辑器“另存为 UTF-8”", "file is not UTF-8"),
    "E-YAML-SYNTAX": Message(E, "YAML 语法错误：{detail}。请检查缩进、冒号后的空格和引号是否成对", "YAML syntax error: {detail_en}"),
    # Slips of a Chinese keyboard, each named with its line rewritten below the message (source.py).
    "E-YAML-FULLWIDTH-COLON": Message(E, "第 {line} 行“{key}”后面用了全角冒号“：”：字段名后须是半角冒号加空格“: ”，请按下面改写这一行", "{key} is followed by a full-width colon; YAML needs ': '"),
    "E-YAML-TAB": Message(E, "第 {line} 行用制表符（Tab）缩进：YAML 只能用空格缩进，请按下面改写这一行（编辑器中可设置“用空格代替 Tab”）", "line indented with a tab; YAML indents with spaces only"),
    "E-YAML-HIDDEN-BREAK": Message(E, "第 {line} 行有看不见的换行符（{char}，常随从网页或 Word 复制的文字带入）：YAML 会在这里断行。请删除它（可删掉这一行的值后重新输入）", "hidden line break {char} on line {line}; delete it"),
    "E-YAML-FULLWIDTH-SPACE": Message(E, "第 {line} 行{where}有全角空格“　”：YAML 只认半角空格，请按下面改写这一行", "full-width space (U+3000) {where_en}; YAML needs ASCII spaces"),
    "E-YAML-LIST-DASH": Message(E, "第 {line} 行的列表项写成了“{found}”：列表的每一项须以半角减号加空格“- ”开头，请按下面改写这一行", "a list item must start with '- '"),
    "E-YAML-COLON": Message(E, "第 {line} 行“{key}”的值中有冒号加空格“: ”，YAML 会把它当作又一个字段名：请给整个值加引号（如下），或把值中的冒号改为全角“：”", "the value of {key} holds ': '; quote the value"),
    "E-FRONT-MATTER": Message(E, "公开事项文件须以 --- 开头的 YAML 头信息开始，并以另一行 --- 结束，正文写在其后", "item file needs YAML front matter between --- lines"),
    "E-DUPLICATE-KEY": Message(E, "字段“{key}”重复出现（第 {first} 行已有）：请删除其中一个", "duplicate key {key} (first on line {first})"),
    "E-TYPE": Message(E, "{field}应为{expected}，实际为“{found}”", "{key}: expected {expected_en}, found {found!r}"),
    "E-DATE-RANGE": Message(E, "{field}“{found}”不在 {first} 至 {last} 年之间：请核对年份", "{key}: {found} is outside {first}..{last}"),
    "E-DATE": Message(E, "{field}“{found}”不是有效日期{detail}：请写成 YYYY-MM-DD（发布日期可加时间，如 2026-03-02 16:40），例如 2026-03-02", "{key}: {found!r} is not a valid date{detail_en} (YYYY-MM-DD)"),
    "E-REQUIRED": Message(E, "{how}必填字段“{key}”（{title}）", "{how_en} required key {key}"),
    "E-UNKNOWN-KEY": Message(E, "未知字段“{key}”{suggestion}：请检查拼写，允许的字段见 docs/catalog.md", "unknown key {key}"),
    "E-CHOICE": Message(E, "{field}“{found}”不在允许的取值中：{choices}", "{key}: {found!r} is not one of the allowed values"),
    "E-RANGE": Message(E, "{field}超出允许范围：应为 {bounds}，实际为 {found}", "{key}: must be {bounds_en}, not {found}"),
    # -- identifiers --
    "E-INDEX-FORMAT": Message(E, "索引号“{found}”{detail}：请改正", "index number {found!r} {detail_en}"),
    "E-INDEX-DUPLICATE": Message(E, "索引号“{found}”与 {other} 重复：索引号在整个目录中必须唯一", "index number {found!r} duplicates {other}"),
    "W-INDEX-YEAR": Message(W, "索引号中的年份 {period_year} 与成文日期的年份 {year} 不一致：请核对（重新编目的年份不同属正常，可忽略）", "index number year {period_year} differs from the item's year {year}"),
    "E-CREDIT-FORMAT": Message(E, "统一社会信用代码“{found}”应为 18 位，且只含数字和大写字母（不含 I、O、Z、S、V）", "credit code {found!r} must be 18 characters of the GB 32100 alphabet"),
    "W-CREDIT-CHECKSUM": Message(W, "统一社会信用代码“{found}”校验位不符（应为 {expected}）：请核对；部分早期代码确实如此", "credit code {found!r} fails its check digit (expected {expected})"),
    "E-ID-DUPLICATE": Message(E, "{what}编号“{found}”与 {other} 重复：编号必须唯一", "{what_en} id {found!r} duplicates {other}"),
    "E-ID-INVISIBLE": Message(E, "{what}编号“{found}”含看不见的字符 {chars}（从网页或 Word 复制时常带入，删除即可）：请改正", "{what_en} id {found!r} contains invisible characters ({chars})"),
    "W-LINK-AS-TEXT": Message(W, "链接地址“{found}”可能运行脚本，网站上只显示链接文字：请改用 http(s)、mailto、tel 或相对地址", "link {found!r} could run script and is shown as text"),
    "E-URL-COLLISION": Message(E, "{what}“{found}”在网站上的地址 {url} 与 {other} 相同或只差字母大小写，发布后一个会覆盖另一个：请修改其中一个", "{what_en} {found!r} would be published at {url}, like {other}"),
    "E-URL-TOO-LONG": Message(E, "{what}“{found}”太长，不能用作网站地址中的名称（{size} 字节，最多 {limit} 字节，一个汉字 3 字节）：请缩短", "{what_en} is too long for a web address ({size} bytes, at most {limit})"),
    "E-URL-UNSAFE": Message(E, "{what}“{found}”不能用作网站地址（{url}）：请改用字母、数字、汉字和 - 组成的编号", "{what_en} {found!r} cannot be a web address ({url})"),
    # -- references --
    "E-ORGAN-UNKNOWN": Message(E, "机关“{found}”未定义：{advice}", "organ {found!r} is not defined in organs/"),
    "E-ATTACHMENT-MISSING": Message(E, "附件“{found}”不存在：{advice}", "attachment {found!r} does not exist"),
    "E-ATTACHMENT-OUTSIDE": Message(E, "附件路径“{found}”指向{place}：附件须放在 catalog/ 目录内，申请登记（requests/）和 12345 热线（hotline/）的文件夹除外", "attachment path {found!r} leaves the catalog or lies in a folder it does not publish"),
    "E-ATTACHMENT-TYPE": Message(E, "附件“{found}”（{suffix}）不能在网站上发布：网站只发布文档、表格、图片、音视频和压缩包，不发布网页、SVG、脚本、目录自己的 .md 和 .yaml 文件以及隐藏文件（它们会在网站上运行或泄露信息）；可以发布的类型：{types}", "attachment {found!r} is not of a type the site publishes ({suffix})"),
    "E-FEE-UNKNOWN": Message(E, "收费项目“{found}”未定义：请在 fees/ 中添加该编号，或改为“不收费”（fees: []）", "fee item {found!r} is not defined"),
    "E-FEE-REMOVED": Message(E, "收费项目“{found}”已于 {removed} 取消，仍被现行权力事项引用：请更新收费依据", "fee item {found!r} was removed on {removed} but is still linked"),
    # -- dates that contradict each other --
    "E-DATE-ORDER": Message(E, "{later_label}（{later}）早于{earlier_label}（{earlier}）：请核对日期", "{later_en} ({later}) is before {earlier_en} ({earlier})"),
    "W-DATE-FUTURE": Message(W, "{field}（{found}）晚于今天（{today}）：请核对是否为预定日期", "{key} ({found}) is after today ({today})"),
    # -- statutory clocks --
    "W-PUBLISH-LATE": Message(W, "{what}于 {formed} 形成或变更，应在 {due} 前公开（{article}，{days} 个工作日），公开日期 {published} 逾期 {late} 个工作日", "published {late} working days after the {days}-working-day limit ({due})"),
    "W-PUBLISH-PLANNED-LATE": Message(W, "{what}于 {formed} 形成或变更，应在 {due} 前公开（{article}，{days} 个工作日），计划公开日期 {published} 将逾期 {late} 个工作日：请在 {due} 前发布", "planned for {published}: {late} working days after the {days}-working-day limit ({due})"),
    "W-PUBLISH-OVERDUE": Message(W, "{what}于 {formed} 形成或变更，应在 {due} 前公开（{article}），至今（{today}）尚未公开：请尽快发布", "not yet published, overdue since {due}"),
    "E-PUBLISH-BASIS": Message(E, "另行规定的公开时限须写明依据（publish_within.basis），例如某法律的条款", "a publication period override needs its legal basis"),
    "W-EXTENSION-NOTICE-LATE": Message(W, "延期告知日期 {notified} 晚于原答复期限 {due}：延期应在期限届满前告知申请人（条例第三十三条），逾期告知不能延长答复期限，答复期限仍为 {due}", "extension notified on {notified}, after the original due date {due}: it extends nothing"),
    "W-EXTENSION-INCOMPLETE": Message(W, "延期尚未生效：延长答复期限须同时记录机构负责人同意日期（approved）和告知申请人日期（notified）（条例第三十三条），两者都记录之前按未延期计算", "an extension takes effect once both its approval and its notice are recorded (art. 33)"),
    "W-PAUSE-LONG": Message(W, "征求{kind}意见自 {start} 至 {end}，超过 {days} 个工作日的意见期限（{due} 期满，{article}）：期满未提出意见的，由本机关依法决定，答复期限只暂停到 {due}（此后的日子计入答复期限）。请核对日期", "consultation from {start} to {end} runs past its {days} working days ({due})"),
    "W-CORRECTION-LAPSED": Message(W, "补正期限 {due} 已过，仍未收到补正：申请人无正当理由逾期不补正的，请按“逾期不补正”办结（{article}），填写 replied 和 outcome；否则这件申请一直未办结，计入以后每年年报的结转", "the correction period ended on {due} without a corrected request: close the request as not corrected in time"),
    "W-CORRECTION-LATE": Message(W, "补正告知于 {notified} 发出，超过收到申请后 {days} 个工作日（应在 {due} 前，{article}）：逾期告知补正不重新计算答复期限，答复期限仍从收到申请之日起算", "correction notice sent on {notified}, after the {days}-working-day limit ({due}): the reply stays due from the receipt"),
    "W-REPLY-LATE": Message(W, "答复日期 {replied} 晚于答复期限 {due}（{basis}）：{late}", "replied after the due date {due}: {late_en}"),
    "W-REPLY-OVERDUE": Message(W, "申请尚未答复，答复期限 {due} 已过（今天 {today}）：请尽快答复。如已在期限内批准延期并告知申请人，请补记延期；期限过后才延期的，不能延长期限（条例第三十三条）", "open request overdue since {due}"),
    "W-WITHDRAWAL-LATE": Message(W, "处罚决定变更或撤销（{changed}）后，应在 {days} 个工作日内（{due} 前）撤下原信息并公开原因（{article}），实际 {withdrawn}", "penalty decision withdrawn on {withdrawn}, after the {days}-working-day limit ({due})"),
    "W-WITHDRAWAL-OVERDUE": Message(W, "处罚决定已于 {changed} 变更或撤销，应在 {due} 前撤下原信息并公开原因（{article}），至今尚未处理", "penalty decision withdrawal overdue since {due}"),
    "E-OUTCOME-REPLY": Message(E, "已答复的申请须同时填写答复日期（replied）和办理结果（outcome）", "a replied request needs both replied and outcome"),
    "E-OUTCOME-CORRECTION": Message(E, "办理结果“{outcome}”需要先记录补正告知（correction.notified）{extra}", "outcome {outcome!r} needs a recorded correction notice{extra_en}"),
    "E-OUTCOME-FEE": Message(E, "办理结果“{outcome}”需要记录收费通知（fee.notified）且未缴费", "outcome {outcome!r} needs a fee notice that was not paid"),
    "E-FEE-BOTH": Message(E, "信息处理费只能按件或按量计收，不能同时使用（处理费办法）：请只保留 nth_in_month、pages、kib 之一", "a fee is charged by count or by pages, never both"),
    "E-FEE-BASIS": Message(E, "{detail}（处理费办法）", "{detail_en}"),
    "E-FEE-AMOUNT": Message(E, "信息处理费应为 {expected} 元（{basis}），记录为 {found} 元：请更正", "fee should be {expected} yuan ({basis_en}), recorded {found}"),
    "E-PROMISE-EXCEEDS": Message(E, "承诺时限（{promised}）超过法定时限（{legal}）：承诺时限不得超过法定时限", "promised limit {promised} exceeds the legal limit {legal}"),
    # -- power list and fee catalogue as real offices write them (rules.md §7) --
    "E-POWER-TYPE": Message(E, "职权类型“{found}”不在职权类型表中：请改正，或在 gongkai.yaml 的设置 power_types 中加上该类型（现有：{types}）", "power type {found!r} is not in setting power_types"),
    "W-FUND-NORMALISED": Message(W, "资金管理方式“{found}”按法定方式“{statutory}”归类公开（网站同时显示原文）：如归类有误请改写", "fund management {found!r} is published as {statutory!r}"),
    "W-FUND-UNCLEAR": Message(W, "资金管理方式“{found}”无法归入四种法定方式（{choices}）之一，按原文公开：请核对是否写明缴入哪一级国库或财政专户", "fund management {found!r} is none of the four statutory ways; published as written"),
    "W-DOC-NO-BRACKETS": Message(W, "政策依据“{found}”中文号的年份应使用六角括号〔〕（GB/T 9704），网站显示为“{fixed}”：请改写", "basis {found!r}: the year of a document number takes hexagonal brackets (GB/T 9704); published as {fixed!r}"),
    "W-BASIS-JOINED": Message(W, "一条政策依据中有 {count} 个文号（{numbers}）：请分成多条，每条一个文号", "one basis holds {count} document numbers; list one per line"),
    "W-BASIS-REPEATED": Message(W, "政策依据中文号“{found}”重复出现：请删除重复的一条", "document number {found!r} is listed twice"),
    "E-FEE-RANGE": Message(E, "“{name}”的收费金额区间有误：上限 amount_max（{high}）须与下限 amount（{low}）一起填写，且不小于下限", "{name}: amount_max {high} needs an amount not above it ({low_en})"),
    # -- validity --
    "W-VALIDITY-ESTIMATED": Message(W, "{reason}，该文件已于 {expires} 失效；网站不公布推算结果：请核实后写明 validity（有效、失效或废止）", "{reason_en}, the document ended on {expires}; state its validity"),
    "W-REGULATION-IN-FORCE-SOON": Message(W, "规章于 {published} 公布、{effective} 施行，相隔 {days} 日：规章一般自公布之日起 {minimum} 日后施行（{article}），涉及国家安全、外汇汇率、货币政策或公布后不立即施行将有碍施行的除外。请核对生效日期", "a regulation in force {days} days after its publication (normally {minimum})"),
    "W-EXPIRING": Message(W, "该文件将于 {expires} 失效（{reason}）：请评估是否延续、修订或废止", "document expires on {expires} ({reason_en})"),
    # -- calendar --
    "W-CALENDAR-YEAR": Message(W, "期限待定：缺少 {year} 年的法定节假日和调休安排，无法计算本条的工作日期限（其余内容照常发布）。国务院办公厅的 {year} 年放假通知发布后，请用 gongkai holidays import 导入到 {file}（或手工补充）；在此之前可使用 --provisional 按法定节假日预估", "deadline pending: no holiday data for {year}; import the notice into {file}"),
    "E-HOLIDAY-CONFLICT": Message(E, "{found} 同时被列为放假日和调休上班日：请按通知只保留一处", "{found} is listed both as holiday and as make-up workday"),
    "E-HOLIDAY-MISSING": Message(E, "{year} 年的安排中，这些法定节假日没有列为放假日：{days}。法定节假日必须放假（放假办法第二条），请按国务院办公厅的通知补全", "{year}: statutory days off missing: {days}"),
    "E-HOLIDAY-WORKDAY": Message(E, "{year} 年的调休上班日 {found} 本来就是工作日（不是周六、周日）：请按通知核对", "{year}: make-up workday {found} is not a weekend day"),
    "W-HOLIDAY-DIFFERS": Message(W, "{year} 年的安排与 chinesecalendar 收录的国务院办公厅通知不同：{differences}。期限按本文件计算；如不是有意更正，请删除本文件中的 {year} 年", "{year} differs from the State Council notice in chinesecalendar: {differences}"),
    "W-HOLIDAY-UNBALANCED": Message(W, "{year} 年法定节假日（含补假）以外放假的工作日有 {swapped} 天（{days}），调休上班日有 {workdays} 天：调休是一天换一天，两者应相等。请按通知核对放假区间（例如把 04-03..04-05 误写成 04-03..04-15）和调休上班日", "{year}: {swapped} weekdays off beyond the statutory days, {workdays} make-up workdays: they should be equal"),
    "E-HOLIDAY-YEAR": Message(E, "{found} 不属于 {year} 年：请移到对应年份下（只有通知中元旦前的 12 月的日子可以写在下一年）", "{found} does not belong to year {year}"),
    "E-HOLIDAY-DATE": Message(E, "{field} 中的“{found}”不是有效的日期或区间：单日写成 2027-10-01，连续几天写成区间 2027-10-01..2027-10-07（开始日..结束日，两个英文句点）", "{key}: {found!r} is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)"),
    "E-HOLIDAY-EXISTS": Message(E, "已有 {year} 年的安排（{notice}）：确认要用这份通知替换时，请加 --replace 重新运行", "{year} is already listed; use --replace to replace it"),
    "E-HOLIDAY-WRITE": Message(E, "无法在这个文件中自动写入 {year} 年：文件不是逐年分块（“2027:”顶格、内容缩进）的写法。请用 --dry-run 显示要写入的内容，手工加入该文件", "cannot add {year} to this file safely: add the --dry-run output by hand"),
    # -- the State Council holiday notice (gongkai holidays import) --
    "E-NOTICE-TITLE": Message(E, "找不到通知标题“国务院办公厅关于XXXX年部分节假日安排的通知”，无法确定年份：请把通知全文（包括标题）复制到文本文件中", "no notice title naming the year"),
    "E-NOTICE-NUMBER": Message(E, "找不到通知的文号（如 国办发明电〔2024〕12号）：请把标题下的文号一并复制到文件中", "no document number under the title"),
    "E-NOTICE-UNREAD": Message(E, "无法读懂这一行：{detail}。请对照通知原文改正这一行，日期写成“1月1日”“10月1日至8日”“9月28日（周日）上班”等形式", "cannot read this line: {detail_en}"),
    "E-NOTICE-DATE": Message(E, "“{found}”不是有效日期{detail}：请对照通知原文改正", "{found!r} is not a valid date{detail_en}"),
    "E-NOTICE-CHECK": Message(E, "{detail}：请对照通知原文核对，可能抄错了日期", "the notice contradicts itself: {detail_en}"),
    "E-NOTICE-MISSING": Message(E, "通知中没有{festivals}的放假安排：请确认复制了通知全文，每个节日一项（如“一、元旦：……”）", "no item for {festivals}"),
    # -- annual report (rules.md §4.4; messages name rows and columns by the format's labels) --
    "E-REPORT-LAYOUT": Message(E, "{detail}：年报数据应采用国办公开办函〔2021〕30号格式（见 docs/report.md）", "{detail_en}: not the 2021 report layout"),
    "E-REPORT-LAYOUT-2019": Message(E, "这是 2019 年试行格式：“（六）其他处理”只有一行。请按国办公开办函〔2021〕30号格式分为“1.申请人无正当理由逾期不补正……”“2.申请人逾期未按收费通知要求缴纳费用……”“3.其他”三行", "this is the 2019 trial layout (one row for other handling): split it into the three rows of the 2021 layout"),
    "E-REPORT-BLANK": Message(E, "{position}为空：没有发生的事项应填 0", "blank cell: write 0"),
    "E-REPORT-NUMBER": Message(E, "{position}应为数字，实际为“{found}”", "cell is not a number: {found!r}"),
    "E-REPORT-COUNT": Message(E, "{position}是件数，应为整数，实际为“{found}”（只有第二部分的收费金额可以有小数）", "a count must be a whole number, found {found}"),
    "E-REPORT-NEGATIVE": Message(E, "{position}为负数（{found}）", "negative cell ({found})"),
    "E-REPORT-ROW-TOTAL": Message(E, "第三部分“{row}”行：“总计”列应为六类申请人之和 {expected}，实际为 {found}", "row total should be {expected}, found {found}"),
    "E-REPORT-RESULT-TOTAL": Message(E, "第三部分“（七）总计”行“{column}”列：应为（一）至（六）各行之和 {expected}，实际为 {found}", "the total row (7) of column {column} should be {expected}, found {found}"),
    "E-REPORT-IDENTITY": Message(E, "第三部分“{column}”列：一、本年新收（{new}）+ 二、上年结转（{carried}）= {left}，应等于（七）总计（{total}）+ 四、结转下年度继续办理（{next}）= {right}", "column {column}: received + carried over = {left} but handled + carried forward = {right}"),
    "E-REPORT-REVIEW-TOTAL": Message(E, "第四部分“{row}”：“总计”应为结果维持、结果纠正、其他结果、尚未审结之和 {expected}，实际为 {found}", "{row}: total should be {expected}, found {found}"),
    "W-REPORT-CARRYOVER": Message(W, "第三部分“二、上年结转政府信息公开申请数量”行“{column}”列为 {found}，但 {previous_year} 年度报告“四、结转下年度继续办理”为 {expected}", "carried over {found}, but last year's report carried {expected} forward"),
    "W-REPORT-IN-FORCE": Message(W, "第二部分“{row}”现行有效件数为 {found}，按上年现行有效 {previous} + 本年制发 {issued} − 本年废止 {repealed} 应为 {expected}（有文件到期失效时可能确实不同，请核对）", "{row} in force {found}, expected {expected} from last year"),
    "W-REPORT-DUE": Message(W, "{organ}{year} 年政府信息公开工作年度报告尚未公布：应在 {due} 前公布（条例第四十九条）。请在 reports/{year}/ 下准备报告", "the {year} annual report is due on {due}"),
    "W-REPORT-OVERDUE": Message(W, "{organ}{year} 年政府信息公开工作年度报告逾期未公布：应在 {due} 前公布（条例第四十九条）。请在 reports/{year}/{organ_id}.yaml 中填写统计数并写明发布日期", "the {year} annual report was due on {due} and is not published"),
    "E-REPORT-PREVIOUS-YEAR": Message(E, "--previous 给出的是 {found} 年度的报告（{path}），{year} 年度报告的上一年度应为 {expected}：请给出上一年度的报告", "--previous is the {found} report ({path}); the {year} report's previous year is {expected}"),
    "W-REPORT-LATE": Message(W, "{year} 年度报告于 {published} 公布，晚于公布期限 {due}（条例第四十九条）", "the {year} report was published on {published}, after {due}"),
    "W-REPORT-UNRECORDED": Message(W, "{year} 年度报告已于 {published} 公布，但还没有记录公布时的数字：在记录之前，网站上这份报告的数字随目录（申请登记、公开事项）的修改而变化。请对照已公布的报告核对后运行 gongkai report record --organ {organ} --year {year}，把数字记录在 {path} 中，并与目录一起提交", "the {year} report is published but the figures it was published with are not recorded: run gongkai report record --organ {organ} --year {year}"),
    "W-REPORT-RECORD-ALONE": Message(W, "这里记录了 {year} 年度报告公布时的数字，但没有它的统计数文件 {statistics}{organ_note}，网站上没有这份报告。如机关编号改了，请把本文件改名为“新编号.published.yaml”（与统计数文件一同改名）；如统计数文件被误删，请从备份或版本库恢复。不要重新记录：那会用目录现在计算的数字替换公布时的数字和更正记录", "the figures of a {year} report are recorded here, but its statistics file {statistics} is missing"),
    "W-REPORT-CHANGED": Message(W, "已公布的 {year} 年度报告有 {count} 处数字与目录现在计算的不同（网站仍显示公布时的数字）：{cells}。如公布的数字有误，请运行 gongkai report record --organ {organ} --year {year} --correct 发布更正（报告页面注明更正日期）；如是目录的记录有误，请改正目录；否则可保持原样", "{count} figures of the published {year} report differ from what the catalog computes now; the site shows them as published"),
    "E-SETTING": Message(E, "设置“{key}”{detail}", "setting {key}: {detail_en}"),
    # -- the website's identity and vocabulary (rules.md §8) --
    "E-SITE-IDENTITY": Message(E, "{field}“{found}”{detail}", "{key} {found!r} {detail_en}"),
    "W-TOPIC-UNKNOWN": Message(W, "主题分类“{found}”的一级分类“{top}”不在主题分类表中：最接近的是“{closest}”（分类表见设置 topics）", "topic {found!r}: first level {top!r} is not in the topic list (closest: {closest!r})"),
    # -- public participation: consultation, the 12345 hotline, interpretation, commitments (rules.md §9) --
    "E-CONSULTATION-SHORT": Message(E, "{kind}草案公开征求意见不少于 {minimum}（{basis}）：{start} 至 {end} 只有 {actual}。请把截止日期延至 {earliest} 或以后", "the consultation runs {actual_en}, less than the minimum {minimum_en}: end on {earliest} or later"),
    "E-CONSULTATION-CHANNEL": Message(E, "征集须写明至少一种提交意见的方式：电子邮箱（email）、通信地址（post）、传真（fax）或在线提交地址（online）；网站本身不能接收意见", "a consultation needs a way to comment: email, post, fax or online"),
    "W-FEEDBACK-OVERDUE": Message(W, "征集已于 {end} 结束（有听证会的，以听证会日为准），意见采纳情况应在 {due} 前公布（此后 {days} 个工作日，设置 consultation_feedback_workdays），至今（{today}）尚未公布：请填写 feedback", "feedback on the consultation that ended on {end} was due on {due} and is not published"),
    "W-FEEDBACK-LATE": Message(W, "意见采纳情况于 {published} 公布，晚于征集截止（{end}）后 {days} 个工作日的期限 {due}", "feedback published on {published}, after its due date {due}"),
    "E-FEEDBACK-COUNT": Message(E, "采纳意见数（{adopted}）与未采纳的意见（{not_adopted} 条）合计 {total}，多于收到意见数（{received}）：请核对", "{adopted} adopted and {not_adopted} not adopted exceed the {received} comments received"),
    "E-INDEX-UNKNOWN": Message(E, "{what}“{found}”不是目录中任何信息的索引号：请核对，或先在 items/ 中加入该文件", "{what_en} {found!r} is not the index number of any item"),
    "E-PLACEHOLDER": Message(E, "{field}还是“{found}”：请填写后再公开；{advice}", "{key} still holds the placeholder {found!r}"),
    "E-PERSONAL-DATA": Message(E, "{field}中有{kind}（{masked}）：网站不公开个人信息，包括来电人、申请人、提意见人和决定所涉当事人的（条例第十五条），请删去或隐去", "{key} holds {kind_en} ({masked}): personal data is never published"),
    "E-HOTLINE-REPLY": Message(E, "已办结的工单须同时填写办结时间（replied）和办理结果（result）", "a closed case needs both replied and result"),
    "W-HOTLINE-LATE": Message(W, "工单 {id} 于 {replied} 办结，晚于答复期限 {due}（受理后 {days} 个工作日，设置 hotline_reply_workdays）：逾期 {late} 个工作日", "case {id} closed on {replied}, {late} working days after its due date {due}"),
    "W-HOTLINE-OVERDUE": Message(W, "工单 {id} 尚未办结，答复期限 {due} 已过（今天 {today}）：请督办，办结后写明 replied 和 result", "open case {id} overdue since {due}"),
    "W-INTERPRETATION-EARLY": Message(W, "政策解读已公开，所解读的文件“{found}”{state}：请核对该文件的公开日期，或与文件同时公开解读", "the interpretation is public before the document {found!r} it interprets"),
    "W-INTERPRETATION-MISSING": Message(W, "该行政规范性文件{detail}：按三同步要求，政策解读应与文件同步发布（设置 interpretation_required、interpretation_workdays）", "normative document {detail_en}"),
    "W-COMMITMENT-EXCEEDS": Message(W, "承诺时限 {promised} 个工作日超过限时办结对{what}规定的 {limit} 个工作日（设置 {setting}）：确需延长的，请在时限说明（limit_note）中写明理由并告知申请人", "promised {promised} working days exceed the {limit}-day commitment for {what_en}"),
    # -- spreadsheets (gongkai import; problems at file.xlsx:Sheet!R12) --
    "E-IMPORT-UNREADABLE": Message(E, "无法读取：{detail}。请用 Excel 或 WPS 另存为 .xlsx 工作簿或 UTF-8 编码的 .csv 文件后重新导入", "cannot read the file: {detail_en}"),
    "W-IMPORT-LOCK-FILE": Message(W, "这是 Excel 或 WPS 打开工作簿时在它旁边生成的锁定文件（文件名以 ~$ 开头，其中没有表格数据），未导入，其余文件照常导入。如果工作簿刚修改过，请先在 Excel 或 WPS 中保存并关闭它再导入，否则导入的是上次保存的内容", "the lock file Excel or WPS keeps beside an open workbook: skipped"),
    "E-IMPORT-NO-HEADER": Message(E, "找不到表头{detail}：表头须在前 20 行内，列名见 docs/import.md；也可用 --kind items、powers 或 fees 指定数据类型", "no header found{detail_en}"),
    "W-IMPORT-COLUMN": Message(W, "第 {column} 列“{header}”未导入：{reason}", "column {column} ({header}) is not imported"),
    "E-IMPORT-COLUMN-TWICE": Message(E, "第 {column} 列“{header}”与第 {other} 列“{other_header}”都对应“{title}”：请删除或改名其中一列", "columns {other} and {column} are both {key}"),
    "E-IMPORT-MISSING-COLUMN": Message(E, "表中没有必填的“{header}”列：请添加这一列{hint}", "no column for the required {key}"),
    "W-IMPORT-ROW-SKIPPED": Message(W, "本行只有“{text}”一个单元格有内容，按分隔行跳过：如果这是一条数据，请补全其他各列", "only one cell ({text}) filled: skipped as a separator row"),
    "W-IMPORT-ROW-TOTAL": Message(W, "本行“{text}”看起来是合计行，不是一条数据，未导入：可从表格中删去这一行；如果这是一条数据，请补全索引号、名称等各列", "a total row ({text}): not imported"),
    "W-IMPORT-ROW-HIDDEN": Message(W, "本行在表格中是隐藏的，未导入（隐藏的行常是停用或旧的条目）：如需导入，请取消隐藏或清除筛选后重新导入", "a hidden row: not imported"),
    "W-IMPORT-INVISIBLE": Message(W, "表中有 {count} 个编号（索引号、事项编码、项目编号等）含有看不见的字符（零宽空格等，常随从网页复制的文字带入），已删去后导入，第一处在本行：编号中不会有这些字符，表格中的也可删去", "{count} identifiers held invisible characters (zero-width spaces and the like): removed on import; the first is on this row"),
    "E-IMPORT-VALUE": Message(E, "{field}“{found}”无法读作{expected}：请改正后重新导入", "{key}: cannot read {found!r} as {expected_en}"),
    "E-IMPORT-UNIT-CONFLICT": Message(E, "{field}“{found}”与“{unit_field}”列的“{stated}”不一致：请改为一致后重新导入", "{key}: {found!r} conflicts with the unit column's {stated!r}"),
    "E-IMPORT-ORGAN-CONFLICT": Message(E, "本行机关为“{found}”，与 --organ 指定的 {organ} 不一致：--organ 只用于没有机关列的表格。"
                                       "请改正该单元格，或去掉 --organ、按各行的机关导入", "the row's organ {found!r} is not --organ {organ}"),
    "E-IMPORT-ORGAN": Message(E, "机关“{found}”与 organs/ 中机关的名称和编号都不一致：请改为已有机关（{known}），或用 --organ 为所有行指定机关", "organ {found!r} matches no organ's name or id"),
    "E-IMPORT-PUBLISHER-ORGAN": Message(E, "本行没有填写所属机关，按“{header}”列找：“{found}”不是 organs/ 中任何机关的名称（现有 {known}）。"
                                        "发布机构照实填写即可，不必改：请在“所属机关”列（表中没有就添加这一列）写明本行所属的机关（名称或编号），"
                                        "或用 --organ 为所有行指定机关", "no organ given, and the publisher {found!r} is no organ's name: "
                                        "add an organ column or use --organ"),
    "E-IMPORT-FILE-MISSING": Message(E, "{what}“{found}”不存在：路径相对于表格所在的文件夹 {folder}", "{what_en} {found!r} not found (relative to {folder})"),
    "E-IMPORT-ATTACHMENT-CONFLICT": Message(E, "附件“{found}”导出后，表格旁的副本和目录中的文件 {path} 都改过：请确认保留哪一个（不保留的一方恢复为导出时的文件，或在表格中改名）后重新导入", "attachment {found!r} changed both beside the workbook and in the catalog ({path}) since the export; keep one and import again"),
    "E-IMPORT-EXISTS": Message(E, "{what}“{found}”已在 {path} 中：要用表格中的内容更新它，请加 --update", "{what_en} {found!r} already exists in {path}; use --update"),
    "W-IMPORT-ATTACHMENT-FOLDER": Message(W, "附件“{found}”与{other}同名而内容不同（同一机关同一年份的公开事项都在文件夹 {folder} 中）：复制到本事项自己的子文件夹，在事项文件中写作“{file}”；网站上的文件名不变", "attachment {found!r} differs from {other_en} of that name in {folder}: copied to the item's own subfolder as {file}"),
    "E-IMPORT-ATTACHMENT-TAKEN": Message(E, "附件“{found}”：{folder} 中和本事项的子文件夹 {subfolder} 中都已有内容不同的同名文件，属于别的事项或不再使用：请在表格中给附件改名（改附件文件的名称），或删去不再使用的文件后重新导入", "attachment {found!r}: {folder} and the item's subfolder {subfolder} both hold another file of that name; rename the attachment"),
    "E-IMPORT-WRITE": Message(E, "无法{doing}此文件（{reason}）：导入已撤回，目录中的文件都没有改动。请排除问题（如磁盘空间不足、文件过大、没有写入权限、磁盘只读）后重新导入", "cannot {doing_en} this file ({reason_en}); the import was undone and nothing in the catalog changed"),
}


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, at a file and line."""

    path: str
    line: int
    code: str
    params: tuple[tuple[str, object], ...] = ()
    # Lines of YAML as they should be written (the shape a field takes, a line rewritten): staff copy a pattern
    # more readily than they follow a description of one.
    example: str = ""
    # Its deadline was counted on a provisional calendar (--provisional: a year without its holiday notice), so it
    # is shown marked 预估, as rules.md §1 requires of every such result.
    estimated: bool = False

    @property
    def severity(self) -> Severity:
        return MESSAGES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def texts(self) -> tuple[str, str]:
        message = MESSAGES[self.code]
        values = _Defaulting(self.params)
        zh, en = message.zh.format_map(values), message.en.format_map(values)
        return (f"{zh}（预估：期限按尚无放假通知的年份估算）", f"{en}; estimated") if self.estimated else (zh, en)

    def format(self) -> str:
        """One line, then the example (if any) indented below it, so every problem still starts a line of its own."""
        zh, en = self.texts()
        text = f"{self.path}:{self.line}: {self.code} {zh} ({en})"
        if self.example:
            text += "\n    应写成 (write it as):\n" + "\n".join("      " + line for line in self.example.splitlines())
        return text

    def as_json(self) -> dict:
        zh, en = self.texts()
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": zh,
            "message_en": en,
            **({"example": self.example} if self.example else {}),
            **({"estimated": True} if self.estimated else {}),
        }


# The order problems are listed in: the dataclass's own (file, line, code …), as a key compared in C. Sorted with the
# dataclass's __lt__, the 34,000 warnings of a catalog of 100,000 items took ~940,000 calls of Python code.
PROBLEM_ORDER = operator.attrgetter(*(field.name for field in dataclasses.fields(Problem) if field.compare))


def ordered_problems(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` in PROBLEM_ORDER, each once (a check may find one twice, and validation adds its own to those of
    loading). Equal problems have equal keys, so they sort next to each other: no set of them is made, where hashing
    each ran Python code (the 34,000 warnings of 100,000 items, twice)."""
    problems = list(problems)
    keys = list(map(PROBLEM_ORDER, problems))
    order = sorted(range(len(problems)), key=keys.__getitem__)
    return [problems[n] for at, n in enumerate(order) if not at or keys[n] != keys[order[at - 1]]]


def _one_line(value):
    """A parameter as a message shows it: a value staff wrote may hold line breaks (a date run into the next
    line), which would split a problem over lines; they show as ⏎."""
    if value is None:
        return ""
    if isinstance(value, str):
        return re.sub(r"\r\n|[\r\n\u2028\u2029]", "⏎", value)
    return value


class _Defaulting(dict):
    """Format parameters; a missing one shows as empty rather than crashing."""

    def __init__(self, params):
        super().__init__((k, _one_line(v)) for k, v in params)

    def __missing__(self, key):
        return ""


class Location:
    """Where something was written: a display path and a line number."""

    __slots__ = ("path", "line")

    def __init__(self, path: str, line: int):
        self.path = path
        self.line = line

    def problem(self, code: str, *, example: str = "", **params) -> Problem:
        if code not in MESSAGES:
            raise KeyError(f"undeclared problem code {code}")
        return Problem(self.path, self.line, code, tuple(sorted(params.items())), example)

    def at(self, line: int) -> "Location":
        return Location(self.path, line)

    def __repr__(self):
        return f"{self.path}:{self.line}"


# Why the system would not let a file or folder be read, as staff can act on it (strerror is English).
_OS_REASONS = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.EISDIR: "这是文件夹，不是文件",
               errno.ENOTDIR: "这不是文件夹", errno.ELOOP: "符号链接循环", errno.EIO: "磁盘读取出错",
               errno.ENOENT: "文件不存在",  # gone since it was found (an attachment moved away during an import)
               # model/source.py's read_file: a named pipe, a device; a file no catalog's text is as large as
               errno.EINVAL: "这不是普通文件（管道、设备等）", errno.EFBIG: "文件过大，不是目录的文本文件"}


# Why the system would not let a file or folder be written.
_OS_WRITE_REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EFBIG: "文件超过系统允许的大小",
                     errno.EROFS: "磁盘是只读的", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
                     errno.EIO: "磁盘写入出错", errno.ENOTDIR: "路径中有同名的文件，而不是文件夹",
                     errno.EEXIST: "路径中有同名的文件，而不是文件夹", errno.ENAMETOOLONG: "文件名太长"}


def os_reason(error: OSError, writing: bool = False) -> str:
    """Why ``error`` stopped a read (or, ``writing``, a write), in Chinese."""
    return (_OS_WRITE_REASONS if writing else _OS_REASONS).get(error.errno, error.strerror or type(error).__name__)


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


def already_there(path: Path | str) -> str:
    """What an export says when its file (or folder) would replace one staff already have: the commands write over
    nothing without --overwrite."""
    return f"{display_path(path)} 已存在：请换一个文件名，或加 --overwrite 覆盖 (already exists; use --overwrite)"


def display_below(folder: Path) -> Callable[[str], str]:
    """``display_path`` for the paths ``os.walk(folder)`` makes, which begin with ``str(folder)`` (a Path: no
    separator at its end): the folder's worked out once (each file's took 0.3 s at 100,000 items)."""
    given, absolute, cwd = str(folder), os.path.abspath(folder), os.getcwd()
    if (cwd + os.sep).startswith(absolute.rstrip(os.sep) + os.sep):  # the working directory is in it: not one prefix
        return display_path
    shown = display_path(folder)
    return lambda path: shown + path[len(given):]


# What the system refuses for reasons of its own, which staff (or their administrator) can remedy.
MACHINE_REFUSALS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS, errno.EMFILE,
                    errno.ENFILE, errno.EIO}


def unexpected_error(error: Exception, details: str = "设置 GONGKAI_DEBUG=1 可查看详细信息") -> str:
    """An exception not of gongkai's own as staff read it: the machine's refusals say what it refused; anything else
    is a bug in gongkai, not in their data (``details``: where its traceback is to be had)."""
    if isinstance(error, OSError) and error.errno in MACHINE_REFUSALS:  # the machine's, not gongkai's
        name = error.filename2 or error.filename
        return (f"无法写入或读取文件{f' {name}' if name else ''}：{error.strerror}。请排除问题（磁盘空间、权限、"
                f"只读的磁盘）后重新运行；生成失败时网站保持不变 (the system refused: {error})")
    return (f"gongkai 内部错误：{type(error).__name__}: {error}。这不是您的数据问题，请将此信息和所用命令报告给维护者"
            f"（{details}） (internal error)")


class GongkaiError(Exception):
    """A failure to show the user as a message, never as a traceback."""


class ProjectFileInvalid(GongkaiError):
    """mkdocs.yml, a template or a page of the office's own cannot be used as it is saved."""


class CalendarYearMissing(GongkaiError):
    def __init__(self, year: int, holidays_file: str):
        self.year = year
        self.holidays_file = holidays_file
        super().__init__(
            f"缺少 {year} 年的法定节假日和调休安排：国务院办公厅的 {year} 年放假通知发布后，请用 gongkai holidays import "
            f"导入到 {holidays_file}（或手工补充）；在此之前可使用 --provisional 按法定节假日预估 "
            f"(no holiday data for {year}: import the notice into {holidays_file})"
        )

    @property
    def pending(self) -> str:
        """Why a date is 待定, and what makes it known, short enough for a line of `due` or `requests`."""
        return f"缺少 {self.year} 年节假日数据：通知发布后用 gongkai holidays import 导入 {self.holidays_file}"


class CatalogChanged(GongkaiError):
    """A catalog file changed while the site was being built from it (bodies are read when pages are written)."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path}：文件在生成网站期间被修改，网站未更新；请重新运行 gongkai build "
                         f"(the file changed during the build; the site was not updated)")

    def __reduce__(self):  # raised in worker processes: rebuilt from the path, not from the message
        return type(self), (self.path,)
