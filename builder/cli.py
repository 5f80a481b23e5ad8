"""The `gongkai` command. Commands parse, call builder functions and print; nothing else."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import functools
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

import click
from mkdocs.exceptions import Abort as MkDocsAbort

from search.document import SearchDoc

from . import statute
from .audit.audit import run_audit
from .build import pipeline
from .check.due import SECTIONS, due_entries
from .check.requests import open_requests
from .check.validate import (
    attachment_problems,
    checked_years,
    count_by_severity,
    outcome_problems,
)
from .errors import (
    CalendarYearMissing,
    CatalogChanged,
    GongkaiError,
    Problem,
    already_there,
    display_path,
    unexpected_error,
)
from .exchange.csvfile import CSV_ENCODINGS
from .exchange.kinds import KINDS
from .model.catalog import (
    FILE_KINDS,
    Catalog,
    ReportSource,
    recorded_path,
    statistics_path,
)
from .model.dates import published_by
from .model.fields import DATES, MAX_DAYS, json_schema
from .model.holidays import load_holidays, with_year
from .model.settings import SETTINGS, as_written
from .model.skeleton import NEW_KINDS, NotAppendable, appended, new_entry
from .report.check import check_report
from .report.compute import compute_report
from .report.datafile import FORMATS, report_file
from .report.published import (
    corrected,
    describe,
    differences,
    read_recorded,
    read_report,
    recorded_text,
)
from .rules.fees import fee_by_count, fee_by_pages
from .rules.workdays import WorkCalendar
from .site.participation import site_search_documents
from .site.urls import absolute_url, site_root
from .site.views import published_views
from .util import write_atomically


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2026-03-02 ({value!r} is not a date)", param, ctx)
        first, last = DATES  # as for the catalog's own dates: a clock run from 9999-12-31 ends past the calendar
        if not first <= day <= last:
            self.fail(f"“{value}”不在 {first.year} 至 {last.year} 年之间，请核对年份 ({value!r} is outside "
                      f"{first.year}..{last.year})", param, ctx)
        return day


DATE = DateType()


class OutputPath(click.Path):
    """Where a command writes (--out, --site-dir, an export's file), checked before any work is done: a file in the
    way of a folder is refused, and so is a missing folder unless the command makes it (``makes_folders``: a folder
    it writes is made with its parents; a file goes into a folder staff chose, which must exist, unless the command
    says otherwise)."""

    def __init__(self, *, folder: bool = False, makes_folders: bool | None = None):
        super().__init__(file_okay=not folder, dir_okay=folder, path_type=Path)
        self.makes_folders = folder if makes_folders is None else makes_folders

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        parent = Path(os.path.abspath(path)).parent
        # The nearest folder (or file in the way) that exists: /, at the latest.
        existing = next(p for p in (parent, *parent.parents) if os.path.lexists(p))
        if not existing.is_dir():
            shown = display_path(existing)
            self.fail(f"{shown} 是文件，不是文件夹，无法写入其中：请另选一个位置 ({shown} is a file, not a folder: "
                      f"choose another place)", param, ctx)
        if not self.makes_folders and existing != parent:
            shown = display_path(parent)
            self.fail(f"文件夹 {shown} 不存在：请先创建它，或另选一个已有的文件夹 (folder {shown} does not exist: "
                      f"create it or choose another)", param, ctx)
        try:
            path.resolve()  # what the commands do with it first
        except RuntimeError:  # raised for a symbolic link that leads, in the end, to itself
            shown = display_path(path)
            self.fail(f"{shown} 是指向自身的符号链接，无法写入：请删除这个链接，或另选一个位置 ({shown} is a symbolic link "
                      f"that leads to itself: remove it or choose another place)", param, ctx)
        return path


def catalog_option(function):
    return click.option("--catalog", "catalog_dir", default="catalog", show_default=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="目录所在文件夹 (catalog directory)")(function)


def provisional_option(function):
    return click.option("--provisional", is_flag=True,
                        help="尚无放假通知的年份按法定节假日预估（调休未知），结果标注“预估” "
                             "(estimate years without a notice from the statutory holidays)")(
        function)


def format_option(function):
    return click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="输出格式 (output format)")(function)


def today_option(function):
    return click.option("--today", type=DATE, default=None,
                        help="以该日期为今天计算状态，默认为系统日期 (the day to compute states for)")(function)


# ------------------------------------------------------------ click's own words, in Chinese


class GongkaiHelpFormatter(click.HelpFormatter):
    """click's help with its headings in Chinese, the English in brackets as in gongkai's own texts."""

    HEADINGS = {"Options": "选项 (Options)", "Commands": "命令 (Commands)", "Arguments": "参数 (Arguments)"}
    EXTRAS = (("default: ", "默认 (default): "), ("required", "必填 (required)"))

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法 (Usage): " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))

    def write_dl(self, rows, *args, **kwargs) -> None:
        super().write_dl([(term, self._extras(text)) for term, text in rows], *args, **kwargs)

    @classmethod
    def _extras(cls, text: str) -> str:
        """An option's "[default: x; required]", which click adds after its help."""
        if not text.endswith("]") or "[" not in text:
            return text
        head, _, extras = text.rpartition("[")
        for english, chinese in cls.EXTRAS:
            extras = extras.replace(english, chinese)
        return f"{head}[{extras}"


class GongkaiContext(click.Context):
    formatter_class = GongkaiHelpFormatter


class _InChinese:
    """What every gongkai command and group shares: the formatter above, and --help described in Chinese."""

    context_class = GongkaiContext

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出 (show this message and exit)"
        return option


class GongkaiCommand(_InChinese, click.Command):
    pass


def _error_text(error: click.ClickException) -> str:
    """A mistake on the command line as click words it, said first in Chinese (gongkai's own messages already are)."""
    english = error.format_message()
    param = getattr(error, "param", None)
    name = "/".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name if param else ""
    name = name or (hint if isinstance(hint := getattr(error, "param_hint", None), str) else "")
    if any("\u4e00" <= char <= "\u9fff" for char in english):
        # gongkai's own words for a value, which click puts after "Invalid value for '--from':"
        return f"{name} 的取值无效：{error.message}" if isinstance(error, click.BadParameter) and name else english
    if isinstance(error, click.MissingParameter):
        chinese = f"缺少必填的选项 {name}" if isinstance(param, click.Option) else f"缺少参数 {name}"
    elif isinstance(error, click.NoSuchOption):
        close = f"，是否应为 {'、'.join(error.possibilities)}？" if error.possibilities else ""
        chinese = f"没有选项 {error.option_name}{close}"
    elif isinstance(error, click.BadOptionUsage):
        chinese = f"选项 {error.option_name} 的用法有误（例如后面缺少取值）"
    elif isinstance(error, click.BadParameter):
        chinese = f"{name} 的取值无效" + _expected_value(param)
    elif isinstance(error, click.FileError):
        chinese = f"无法打开文件 {error.ui_filename}"
    elif english.startswith("Got unexpected extra argument"):
        chinese = "多余的参数：参数中有空格时请加引号"
    else:
        chinese = "命令行有误"
    return f"{chinese} ({english})"


def _expected_value(param) -> str:
    kind = getattr(param, "type", None)
    if isinstance(kind, click.Choice):
        return "：可选 " + "、".join(map(str, kind.choices))
    if isinstance(kind, click.IntRange):
        low = "" if kind.min is None else f"不小于 {kind.min}"
        high = "" if kind.max is None else f"不大于 {kind.max}"
        return "：应为整数" + (f"，{'、'.join(filter(None, (low, high)))}" if low or high else "")
    if isinstance(kind, click.Path):
        return "：路径不存在或类型不对（文件或文件夹）"
    if kind is click.INT:
        return "：应为整数"
    return ""


def _show_error(error: click.ClickException) -> None:
    """What click.ClickException.show prints, in Chinese: for a usage mistake, the usage line and where help is."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {max(ctx.help_option_names, key=len)}"
            click.echo(f"运行“{command}”查看说明 (try '{command}' for help)", err=True)
        click.echo(err=True)
    click.echo(f"错误 (Error): {_error_text(error)}", err=True)


class GongkaiGroup(_InChinese, click.Group):
    """Turns domain errors into messages and keeps tracebacks away from users; click's own words in Chinese."""

    command_class = GongkaiCommand
    group_class = type  # nested groups are GongkaiGroups too

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        """As click's main, but its messages (a missing option, a bad value) shown by ``_show_error``."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as error:
            _show_error(error)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("已中止 (Aborted!)", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)  # click returns the code of --help, --version, ctx.exit

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            if isinstance(error, click.NoSuchOption) or not args or args[0].startswith("-") or args[0] in self.commands:
                raise  # not an unknown command's name (an unknown option says so itself)
            close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=1)
            hint = f"，是否应为“{close[0]}”？" if close else f"：可用的命令见 {ctx.command_path} --help"
            raise click.UsageError(f"没有命令“{args[0]}”{hint} ({error.message})", ctx) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # output piped into `head` and the like: the rest of it is not wanted
            # Python flushes standard output once more at exit, which would fail on the closed pipe and report it.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as error:
            raise _for_staff(error) from None


def _for_staff(error: Exception) -> click.ClickException:
    """An exception as staff read it: gongkai's own errors say what to do; the machine's refusals say what it refused;
    anything else is a bug in gongkai, not in the user's data (its traceback only with GONGKAI_DEBUG)."""
    if isinstance(error, GongkaiError):
        return click.ClickException(str(error))
    if os.environ.get("GONGKAI_DEBUG"):
        traceback.print_exception(error)
    return click.ClickException(unexpected_error(error))


@click.group(cls=GongkaiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongkai", message="%(prog)s %(version)s",
                      help="显示版本并退出 (show the version and exit)")
def cli():
    """gongkai：政府信息公开目录校验、法定时限与网站生成 (government information disclosure)."""


# ------------------------------------------------------------ shared loading


def _loaded(catalog_dir: Path, provisional: bool, today: dt.date | None = None,
            output_format: str = "text") -> pipeline.Loaded:
    """The catalog (validated when ``today`` is given); a catalog that cannot be read ends the command, its
    problems printed in the command's ``output_format`` (a script reading JSON gets JSON)."""
    try:
        if today is None:
            return pipeline.load(catalog_dir, provisional)
        return pipeline.load_validated(catalog_dir, today, provisional)
    except pipeline.CatalogUnusable as unusable:
        _print_problems(unusable.problems, output_format)
        sys.exit(1)


def _without_errors(loaded: pipeline.Loaded, output_format: str = "text") -> pipeline.Loaded:
    """For commands that compute from the catalog: its errors are printed (as ``_loaded`` prints them) and end the
    command."""
    if loaded.errors:
        _print_problems(loaded.errors, output_format)
        raise click.ClickException("目录有错误，请先修正（gongkai validate） (the catalog has errors)")
    return loaded


def _errors_first(loaded: pipeline.Loaded, output_format: str) -> list[Problem]:
    """For the dashboards (due, requests): the catalog's errors, printed first as text (JSON gives them with the
    rest), and returned for the command to end with exit 1. What follows is still shown: one mistyped entry, left
    out of it, must not hide every other deadline."""
    if loaded.errors and output_format == "text":
        click.echo(f"目录有 {len(loaded.errors)} 个错误，出错的条目可能未列入下表，请先修正（gongkai validate）：")
        _print_problems(loaded.errors, output_format)
        click.echo("")
    return loaded.errors


def _calendar_only(catalog_dir: Path, provisional: bool) -> WorkCalendar:
    """The calendar, for commands that need nothing else of the catalog."""
    holidays_path = catalog_dir / "holidays.yaml"
    arrangements, problems = load_holidays(holidays_path)
    usable, found = checked_years(arrangements, display_path(holidays_path))
    problems += found
    if any(p.is_error for p in problems):
        _print_problems(problems, "text")
        sys.exit(1)
    return WorkCalendar(usable, display_path(holidays_path), provisional)


def _print_problems(problems: list[Problem], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=2))
        return
    for problem in problems:
        click.echo(problem.format())


def _estimated_note(calendar: WorkCalendar) -> None:
    if note := calendar.estimated_note():
        click.echo(note, err=True)


@contextlib.contextmanager
def _build_messages():
    """Show the build's messages as the other commands show theirs: the gongkai plugin's (problems, progress) and
    mkdocs' warnings and errors, one plain line each on standard error."""
    logger = logging.getLogger("mkdocs")
    problems = logging.StreamHandler(sys.stdout)  # as `gongkai validate` prints them
    problems.addFilter(lambda record: record.name == "mkdocs.plugins.gongkai.problems")
    messages = logging.StreamHandler(sys.stderr)
    messages.addFilter(lambda record: record.name == "mkdocs.plugins.gongkai" or
                       record.levelno >= logging.WARNING and record.name != "mkdocs.plugins.gongkai.problems")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(problems)
    logger.addHandler(messages)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(problems)
        logger.removeHandler(messages)
        logger.setLevel(level)
        logger.propagate = propagate


# ------------------------------------------------------------ commands


@cli.command("validate")
@catalog_option
@today_option
@provisional_option
@format_option
def validate_command(catalog_dir, today, provisional, output_format):
    """校验目录：每个问题一行“文件:行号: 代码 说明”；有错误时退出码为 1 (validate the catalog)."""
    loaded = _loaded(catalog_dir, provisional, today or dt.date.today(), output_format)
    catalog, problems = loaded.catalog, loaded.problems
    _print_problems(problems, output_format)
    counts = count_by_severity(problems)
    if output_format == "text":
        click.echo(f"{display_path(catalog_dir)}：{len(catalog.items)} 条公开事项，{len(catalog.requests)} 件申请，"
                   f"{len(catalog.powers)} 项权力事项，{len(catalog.fees)} 项收费；"
                   f"{counts['error']} 个错误，{counts['warning']} 个警告 "
                   f"({counts['error']} errors, {counts['warning']} warnings)", err=True)
        _estimated_note(loaded.calendar)
    sys.exit(1 if counts["error"] else 0)


@cli.command("build")
@catalog_option
@today_option
@provisional_option
@click.option("--config-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default="mkdocs.yml",
              show_default=True, help="mkdocs 配置文件 (mkdocs.yml)")
@click.option("--site-dir", type=OutputPath(folder=True), default="site", show_default=True,
              help="网站输出目录：不存在、为空或是以前生成的网站；生成成功后才替换 (output directory: new, empty or a site built before; replaced only on success)")
@click.option("--full", is_flag=True, help="不复用上次生成的结果，全部重新生成 (rebuild everything, reuse nothing)")
def build_command(catalog_dir, today, provisional, config_file, site_dir, full):
    """校验目录并生成网站（页面、附件、订阅）；有错误时不改动已有网站 (validate and build the site).

    只重新生成内容有变化的部分；结果与全部重新生成完全相同 (only what changed is rebuilt; the result is
    byte-identical to a full build)."""
    options = pipeline.BuildOptions(catalog_dir, today or dt.date.today(), provisional, full)
    with _build_messages():
        try:
            pipeline.build(config_file, site_dir, options)
        except MkDocsAbort:  # mkdocs has shown why
            sys.exit(1)


@cli.command("serve")
@catalog_option
@today_option
@provisional_option
@click.option("--config-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default="mkdocs.yml",
              show_default=True, help="mkdocs 配置文件 (mkdocs.yml)")
@click.option("--site-dir", type=OutputPath(folder=True), default=".gongkai/preview",
              show_default=True, help="预览网站的输出目录（不影响正式的 site/） (preview output folder)")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口 (port)")
def serve_command(catalog_dir, today, provisional, config_file, site_dir, port):
    """边改边看：生成网站并在本机预览，保存文件后自动重新生成、页面自动刷新 (live preview on localhost).

    生成失败时终端和页面底部都会显示问题，继续显示上一次成功的网站，服务不中断。未给出 --today 时，每次重新生成都按当天计算
    （预览跨过午夜后，下一次保存即按新的一天生成）。"""
    # Here: the other commands need neither the server nor watchdog.
    from .build.serve import PreviewServer
    from .build.watch import preview_watched

    options = pipeline.BuildOptions(catalog_dir, today or dt.date.today(), provisional)
    watched = functools.partial(preview_watched, catalog_dir, config_file, site_dir)  # looked up again as it changes
    try:
        server = PreviewServer(config_file, site_dir.resolve(), options, watched, port,
                               day=None if today else dt.date.today)
    except OSError as error:
        raise click.ClickException(f"无法使用端口 {port}：{error.strerror}；请用 --port 换一个 (port unavailable)")
    log = logging.getLogger("mkdocs.plugins.gongkai")
    # A service manager stops it with SIGTERM: it ends as after Ctrl+C (a build under way is abandoned as on any
    # error, and what runs at exit runs, so no fork-server folder is left in /tmp).
    signal.signal(signal.SIGTERM, _interrupt)
    with _build_messages():
        try:
            server.serve_forever(log)
        except KeyboardInterrupt:
            click.echo("预览已停止 (stopped)", err=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@cli.command("audit")
@catalog_option
@today_option
@provisional_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default="site", show_default=True,
              help="已生成的网站目录：检查其链接、附件、页面大小和元数据 (the built site to check)")
@format_option
def audit_command(catalog_dir, today, provisional, site_dir, output_format):
    """按国办秘函〔2019〕19号检查网站：单项否决项和扣分项，各给出标准、结果和修改位置；有单项否决项未通过时退出码为 1
    (check the site against the 2019 inspection indicators).

    站点检查读取 --site-dir 中已生成的网站，请先用同一 --today 运行 gongkai build (site checks read the built site)."""
    today = today or dt.date.today()
    loaded = _loaded(catalog_dir, provisional, today)
    if loaded.errors:  # the site is checked all the same: an inspector does not wait for them to be fixed
        click.echo(f"注意：目录有 {len(loaded.errors)} 个错误（见 gongkai validate），检查的是目录中可以读取的部分 "
                   f"(the catalog has errors; the audit checks what could be read)", err=True)
    try:
        report = run_audit(loaded.catalog, loaded.calendar, today, site_dir)
    except CalendarYearMissing as missing:
        raise click.ClickException(str(missing)) from None
    if output_format == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.text(), nl=False)
    sys.exit(0 if report.passed else 1)


@cli.group("workdays")
def workdays_group():
    """工作日查询 (working days)."""


@workdays_group.command("list")
@click.option("--from", "first", type=DATE, required=True, help="起始日期（含） (first day, included)")
@click.option("--to", "last", type=DATE, required=True, help="截止日期（含） (last day, included)")
@catalog_option
@provisional_option
def workdays_list(first, last, catalog_dir, provisional):
    """列出区间内的每个工作日，每行一个 (every working day in the range, inclusive)."""
    if last < first:
        raise click.BadParameter("截止日期早于起始日期 (--to is before --from)", param_hint="--to")
    calendar = _calendar_only(catalog_dir, provisional)
    for day in calendar.workdays(first, last):
        click.echo(day.isoformat() + (" 预估" if calendar.is_estimated(day, day) else ""))
    _estimated_note(calendar)


@cli.command("deadline")
@click.option("--from", "start", type=DATE, required=True, help="起算日（第 0 日） (day 0)")
@click.option("--days", type=click.IntRange(min=0, max=MAX_DAYS), required=True,
              help="工作日数 (number of working days)")
@click.option("--explain", is_flag=True, help="在标准错误输出中列出跳过的休息日和调休上班日 (show skipped days)")
@catalog_option
@provisional_option
def deadline_command(start, days, explain, catalog_dir, provisional):
    """第 N 个工作日：起算日为第 0 日 (the N-th working day after a date)."""
    calendar = _calendar_only(catalog_dir, provisional)
    due = calendar.add_workdays(start, days)
    estimated = calendar.is_estimated(start, due)
    click.echo(due.isoformat() + (" 预估" if estimated else ""))
    if explain:
        first = start + dt.timedelta(days=1)
        rest = "、".join(d.isoformat() for d in calendar.rest_days(first, due)) or "无"
        makeup = "、".join(d.isoformat() for d in calendar.makeup_workdays(first, due)) or "无"
        click.echo(f"跳过的休息日：{rest}\n计入的调休上班日：{makeup}", err=True)
    _estimated_note(calendar)


@cli.group("holidays")
def holidays_group():
    """节假日安排：导入国务院办公厅的放假通知 (holiday arrangements)."""


@holidays_group.command("import")
@click.argument("notice_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@catalog_option
@click.option("--dry-run", is_flag=True, help="只显示将写入的内容，不修改文件 (print what would be written)")
@click.option("--replace", is_flag=True, help="替换 holidays.yaml 中已有的同一年份 (replace the year if listed)")
def holidays_import(notice_file, catalog_dir, dry_run, replace):
    """读取放假通知全文（文本文件），把该年的放假日、调休上班日和文号写入 holidays.yaml (import a holiday notice)."""
    from .model.holiday_notice import read_notice

    notice, problems = read_notice(notice_file)
    if notice is None:
        _print_problems(problems, "text")
        sys.exit(1)
    holidays_path, block = catalog_dir / "holidays.yaml", notice.yaml_block()
    text, problems = with_year(holidays_path, notice.year, block, replace)
    if text is None:
        _print_problems(problems, "text")
        sys.exit(1)
    if dry_run:
        click.echo(block, nl=False)
    else:
        write_atomically(holidays_path, text)
    done = "将写入（--dry-run，未修改文件）" if dry_run else "已写入"
    click.echo(f"{notice.title}（{notice.number}）：放假 {len(notice.holidays)} 天，调休上班 {len(notice.workdays)} 天，"
               f"{done} {display_path(holidays_path)} ({notice.year}: {'dry run' if dry_run else 'written'})", err=True)


@cli.command("fee")
# At most: more requests from one applicant in a month than an office could ever log (the fee is summed request by
# request; 10⁹ ran for minutes).
@click.option("--count", type=click.IntRange(min=0, max=100_000), help="同一申请人本月申请件数（按件） (requests this month)")
@click.option("--pages", type=click.IntRange(min=0), help="一件申请的页数（按量） (pages of one request)")
def fee_command(count, pages):
    """信息处理费（元），国办函〔2020〕109号：按件或按量，二选一 (information processing fee in yuan)."""
    if (count is None) == (pages is None):
        raise click.UsageError("请只给出 --count 或 --pages 之一：按件和按量不能同时使用 (give --count or --pages)")
    if pages is not None:
        click.echo(fee_by_pages(pages))
        click.echo(f"{pages} 页：{fee_by_pages(pages)} 元 (yuan)", err=True)
        return
    # The month's total on stdout (what rules.md's example gives: 35 → 3000); what the request log holds for the
    # count-th request (its amount, nth_in_month) said beside it for staff.
    total = fee_by_count(count)
    click.echo(total)
    nth = total - fee_by_count(count - 1) if count else 0
    click.echo(f"本月 {count} 件合计 {total} 元；其中第 {count} 件 {nth} 元（登记中该件写 nth_in_month: {count}，"
               f"fee 的 amount: {nth}） (the month's total; the {count}th request's own fee)", err=True)


@cli.command("due")
@catalog_option
@today_option
@provisional_option
@format_option
def due_command(catalog_dir, today, provisional, output_format):
    """待办：即将到期或逾期的申请、待公开信息、即将失效的文件、年度报告 (what needs action)."""
    today = today or dt.date.today()
    loaded = _loaded(catalog_dir, provisional, output_format=output_format)
    errors = _errors_first(loaded, output_format)
    catalog, calendar = loaded.catalog, loaded.calendar
    try:
        entries = due_entries(catalog, calendar, today)
    except CalendarYearMissing as missing:
        raise click.ClickException(str(missing)) from None
    if output_format == "json":
        click.echo(json.dumps({"today": today.isoformat(), "entries": [e.as_json() for e in entries],
                               "errors": [p.as_json() for p in errors]}, ensure_ascii=False, indent=2))
        sys.exit(1 if errors else 0)
    click.echo(f"待办事项（{today.isoformat()}）")
    for section in SECTIONS:
        rows = [e for e in entries if e.section == section]
        click.echo(f"\n{section}（{len(rows)}）")
        if not rows:
            click.echo("  无")
        for entry in rows:
            mark = " 预估" if entry.estimated else ""
            click.echo(f"  {entry.due.isoformat() if entry.due else '待定'}{mark}  {entry.status}  {entry.organ}  {entry.subject}  "
                       f"[{entry.where!r}]")
    _estimated_note(calendar)
    sys.exit(1 if errors else 0)


@cli.command("new")
@click.argument("kind", type=click.Choice(NEW_KINDS))
@click.option("--organ", "organ_id", required=True, help="机关编号，即 organs/ 下的文件名 (organ id)")
@click.option("--title", help="标题或事项名称 (title or name)")
@click.option("--doc-no", help="文号；权力事项和收费项目为设定依据 (document number, or basis)")
@click.option("--category", type=click.Choice(tuple(statute.CATEGORIES)), help="公开类别 (category of an item)")
@click.option("--channel", type=click.Choice(statute.CHANNELS), help="申请渠道（申请必填） (channel of a request)")
@click.option("--applicant-type", type=click.Choice(statute.APPLICANT_TYPES), help="申请人类型（申请必填） (applicant)")
@click.option("--type", "entry_type", help="类型：权力事项的职权类型、意见征集的类型、热线工单的类型（这三种必填） (type)")
@click.option("--start", type=DATE, help="意见征集开始日期（必填） (consultation start)")
@click.option("--end", type=DATE, help="意见征集截止日期（必填） (consultation end)")
@click.option("--email", help="意见征集接收意见的电子邮箱 (consultation e-mail)")
@click.option("--unit", help="热线工单的承办单位，默认为该机关 (hotline handling unit)")
@catalog_option
@today_option
def new_command(kind, organ_id, title, doc_no, category, channel, applicant_type, entry_type, start, end, email, unit,
                catalog_dir, today):
    """新建公开事项、申请、权力事项或收费项目：写好带中文注释的骨架，编号接着本机关已有的往下排 (start a new entry).

    新建的公开事项没有发布日期，是草稿，不会发布；填好内容和发布日期后再生成网站。"""
    today = today or dt.date.today()
    needed = {"request": [("--channel", channel), ("--applicant-type", applicant_type)],
              "power": [("--type", entry_type)], "hotline": [("--type", entry_type), ("--title", title)],
              "consultation": [("--type", entry_type), ("--start", start), ("--end", end)]}.get(kind, [])
    missing = [name for name, value in needed if not value]
    if missing:
        raise click.UsageError(f"新建{NEW_KIND_NAMES[kind]}需要 {'、'.join(missing)} (missing {', '.join(missing)})")
    catalog = _without_errors(_loaded(catalog_dir, False)).catalog
    organ = catalog.organs.get(organ_id)
    if organ is None:
        raise click.UsageError(f"没有机关“{organ_id}”：可用的有 {'、'.join(sorted(catalog.organs))} (unknown organ)")
    types = {"power": catalog.settings.power_types, "consultation": statute.CONSULTATION_KINDS,
             "hotline": statute.HOTLINE_TYPES}.get(kind, ())
    if types and entry_type.removesuffix("类") not in types:
        raise click.UsageError(f"--type 应为 {'、'.join(types)} 之一 (--type must be one of the above)")
    entry = new_entry(catalog, kind, organ, today, {"title": title, "doc_no": doc_no, "category": category,
                                                    "channel": channel, "applicant_type": applicant_type,
                                                    "type": entry_type, "start": start, "end": end, "email": email,
                                                    "unit": unit})
    if entry.append:
        # Read as it is on disk: a file saved by Notepad (CRLF) keeps its line endings, and only the new lines show
        # as changed.
        before = ""
        if entry.path.exists():
            with open(entry.path, encoding="utf-8", newline="") as file:
                before = file.read()
        try:
            text = appended(before.replace("\r\n", "\n"), entry.text)
            if "\r\n" in before:
                text = text.replace("\n", "\r\n")
        except NotAppendable:
            raise click.ClickException(f"{display_path(entry.path)}：条目写在一个 [ ] 中，无法在末尾添加：请改为每条以“- ”"
                                       f"开头的写法，或手工添加 (the file's entries are one flow list)") from None
        entry.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry.path, text)
    else:
        entry.path.parent.mkdir(parents=True, exist_ok=True)
        with open(entry.path, "x", encoding="utf-8") as file:  # never over an existing file
            file.write(entry.text)
    click.echo(f"已新建{NEW_KIND_NAMES[kind]} {entry.number}：{display_path(entry.path)}")
    problems = [p for p in _loaded(catalog_dir, False, today).problems if p.path == display_path(entry.path)]
    _print_problems([p for p in problems if p.is_error], "text")


NEW_KIND_NAMES = {"item": "公开事项（草稿）", "request": "申请", "power": "权力事项", "fee": "收费项目",
                  "consultation": "意见征集", "hotline": "热线工单"}


@cli.command("requests")
@catalog_option
@today_option
@provisional_option
@format_option
def requests_command(catalog_dir, today, provisional, output_format):
    """未办结的依申请公开：按答复期限排列，列出计时情况和下一步 (open requests, their clocks and next steps)."""
    today = today or dt.date.today()
    loaded = _loaded(catalog_dir, provisional, output_format=output_format)
    errors = _errors_first(loaded, output_format)
    found = open_requests(loaded.catalog, loaded.calendar, today)
    if output_format == "json":
        click.echo(json.dumps({"today": today.isoformat(), "requests": [r.as_json() for r in found],
                               "errors": [p.as_json() for p in errors]}, ensure_ascii=False, indent=2))
        sys.exit(1 if errors else 0)
    click.echo(f"未办结的申请（{today.isoformat()}）：{len(found)} 件")
    for request in found:
        mark = " 预估" if request.estimated else ""
        click.echo(f"\n{request.due_text}{mark}  {request.state}  {request.id}  {request.organ}  {request.subject}  "
                   f"[{request.where!r}]")
        for fact in request.clock:
            click.echo(f"    · {fact}")
        click.echo(f"    → {request.next_step}")
    _estimated_note(loaded.calendar)
    sys.exit(1 if errors else 0)


@cli.group("report")
def report_group():
    """政府信息公开工作年度报告：生成与校验（国办公开办函〔2021〕30号格式） (the annual report)."""


def _report_source(catalog_dir: Path, organ: str, year: int) -> tuple[Catalog, ReportSource | None]:
    """The catalog a report of ``organ`` on ``year`` is computed from, and its statistics file (None: none).
    Exits on the catalog's errors and on requests it cannot count: a reply without its outcome has no row
    (validation says so too)."""
    loaded = _loaded(catalog_dir, provisional=False)
    outcomes = outcome_problems(loaded.catalog.requests_of(organ))
    catalog = _without_errors(dataclasses.replace(loaded, problems=loaded.problems + outcomes)).catalog
    if organ not in catalog.organs:
        raise click.BadParameter(f"机关“{organ}”不存在，可选：{'、'.join(sorted(catalog.organs))}", param_hint="--organ")
    return catalog, next((r for r in catalog.reports if r.organ == organ and r.year == year), None)


@report_group.command("build")
@click.option("--organ", required=True, help="机关编号，即 organs/ 下的文件名 (organ id)")
@click.option("--year", type=click.IntRange(*statute.REPORT_YEARS), required=True, help="报告年度 (the year reported on)")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="yaml", show_default=True,
              help="输出格式 (output format)")
@click.option("--out", type=OutputPath(), default=None,
              help="写入该文件（所在文件夹须已存在），默认输出到屏幕 (write to this file, in a folder that exists)")
@catalog_option
def report_build(organ, year, output_format, out, catalog_dir):
    """根据目录计算年度报告数据，并按第四部分的规则校验 (compute the report data from the catalog)."""
    catalog, source = _report_source(catalog_dir, organ, year)
    if source is None:
        click.echo(f"注意：没有 {display_path(statistics_path(catalog_dir, organ, year))}，"
                   f"第二部分的行政许可、处罚、强制、收费和第四部分的数字为空 (no statistics file)", err=True)
    report = compute_report(catalog, catalog.organs[organ], year, source)
    if out:
        out.write_bytes(report_file(output_format, report))
    else:  # as bytes: a CSV redirected into a file (> r.csv) has its byte-order mark too
        click.echo(report_file(output_format, report), nl=False)
    problems = check_report(report)
    for problem in problems:
        click.echo(problem.format(), err=True)
    sys.exit(1 if any(p.is_error for p in problems) else 0)


@report_group.command("record")
@click.option("--organ", required=True, help="机关编号，即 organs/ 下的文件名 (organ id)")
@click.option("--year", type=click.IntRange(*statute.REPORT_YEARS), required=True, help="报告年度 (the year reported on)")
@click.option("--correct", is_flag=True,
              help="已记录的数字与目录现在计算的不同时，改为现在计算的数字并记下更正日期，即发布更正 "
                   "(publish a correction: record the figures computed now, and the day)")
@today_option
@catalog_option
def report_record(organ, year, correct, today, catalog_dir):
    """记录已公布的年度报告的数字（reports/<年份>/<机关>.published.yaml）：网站此后按记录显示，不随目录的修改而变化
    (record the figures a published report was published with)."""
    day = today or dt.date.today()
    catalog, source = _report_source(catalog_dir, organ, year)
    if source is None or not published_by(source.published, day):
        statistics = display_path(statistics_path(catalog_dir, organ, year))
        raise click.ClickException(f"{year} 年度报告尚未公布（{statistics} 中没有 {day} 或以前的发布日期 published）："
                                   f"公布以前，网站上的报告按目录计算，不需要记录 (the report is not published)")
    report = compute_report(catalog, catalog.organs[organ], year, source)
    problems = check_report(report)
    for problem in problems:
        click.echo(problem.format(), err=True)
    if any(p.is_error for p in problems):
        sys.exit(1)
    path, file = recorded_path(catalog.root, organ, year), catalog.recorded_file(organ, year)
    if file is not None:
        recorded, problems = read_recorded(file)
        if recorded is None:
            _print_problems(problems, "text")
            raise click.ClickException(f"{display_path(path)} 有错误：请改正，或从备份、版本库恢复（如 git checkout -- 该文件）后"
                                       f"再运行。不要删除后重新记录：那会用目录现在计算的数字替换公布时的数字和更正记录 "
                                       f"(the recorded file has errors: fix or restore it, do not record it anew)")
        found = differences(recorded, report)
        if not found:
            click.echo(f"{display_path(path)} 记录的数字与目录现在计算的相同，未修改 (unchanged)", err=True)
            return
        if not correct:
            raise click.ClickException(f"{display_path(path)} 已记录公布时的数字，与目录现在计算的有 {len(found)} 处不同："
                                       f"{describe(found)}。如要发布更正，请加 --correct (differs; --correct publishes "
                                       f"a correction)")
        report = corrected(report, recorded, day)
    write_atomically(path, recorded_text(report, day))
    # A record there already was a correction (an unchanged one returned above).
    done = f"已记录更正（{day}）" if file is not None else "已记录公布时的数字"
    click.echo(f"{done}：{display_path(path)}，请与目录一起提交 ({'correction ' if file else ''}recorded)", err=True)


@report_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--previous", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="上一年度的报告数据文件，或目录中上一年度的统计数文件 reports/<年份>/<机关>.yaml（据目录计算），"
                   "用于跨年度核对 (last year's report data, or its statistics file in the catalog)")
@format_option
def report_check(file, previous, output_format):
    """校验年报数据文件（gongkai 生成的或手工填写的；给出目录中的统计数文件时据目录计算）：空格、负数、合计与勾稽关系、格式
    (check a report data file)."""
    report, problems = read_report(file)
    last = None
    if previous:
        last, previous_problems = read_report(previous)
        problems += [p for p in previous_problems if p.is_error]
    if report is not None:  # every problem in one run: layout and arithmetic alike
        problems += check_report(report, last)
    _print_problems(problems, output_format)
    counts = count_by_severity(problems)
    if output_format == "text":
        click.echo(f"{display_path(file)}：{counts['error']} 个错误，{counts['warning']} 个警告 "
                   f"({counts['error']} errors, {counts['warning']} warnings)", err=True)
    sys.exit(1 if counts["error"] else 0)


def _search_index(catalog_dir: Path, today, provisional: bool, index_dir: Path):
    from search.server import open_index  # Whoosh loads only for the search commands

    return open_index(list(_site_documents(catalog_dir, today or dt.date.today(), provisional)[1]), index_dir)


def _site_documents(catalog_dir: Path, day: dt.date, provisional: bool) -> tuple[Catalog, Sequence[SearchDoc]]:
    """The catalog, validated as for a build (the views read the attachments' sizes), and the documents of the site's
    own index on ``day``: the items, the consultations, the hotline months, the lists' entries. Each made (its body
    read) when it is asked for."""
    catalog = _without_errors(_loaded(catalog_dir, provisional, day)).catalog
    documents, _ = site_search_documents(published_views(catalog, day), catalog, day)
    return catalog, documents


class _LiveIndex:
    """The index `search-serve` answers from, of the catalog as it is now. A request asks a thread of its own to look
    at the catalog's files (at most every RELOOK_SECONDS, and only while requests come: an idle server does not
    scan); when one changed (or, without --today, the day did) that thread makes the index again, the last one
    answering meanwhile (at 10,000 items Whoosh writes for minutes, and the scan of 20,000 files took 0.1 s of a
    request's time). It had answered from the catalog as it was at its start, for days. A catalog that cannot be used
    keeps the last good index, its reason printed, until the files change again. An index replaced is removed at
    the next replacement: a search that began with it has had a whole remaking to finish."""

    RELOOK_SECONDS = 2.0

    def __init__(self, catalog_dir: Path, today, provisional: bool, index_dir: Path) -> None:
        self._made_by = (catalog_dir, provisional, index_dir)
        self._today = today
        self._seen = self._state()
        self._index = _search_index(catalog_dir, self._seen[1], provisional, index_dir)
        self._replaced = None
        self._lock = threading.Lock()  # the server answers each request in a thread of its own
        self._wanted = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def current(self):
        self._wanted.set()
        with self._lock:
            return self._index

    def _state(self) -> tuple[dict, dt.date]:
        # Imported here: with watchdog, which the other commands do without.
        from .build.watch import files_state

        return files_state([self._made_by[0]]), self._today or dt.date.today()

    def _watch(self) -> None:
        while self._wanted.wait():
            self._wanted.clear()
            if (now := self._state()) != self._seen:
                self._seen = now
                self._remake(now[1])
            time.sleep(self.RELOOK_SECONDS)

    def _remake(self, day: dt.date) -> None:
        catalog_dir, provisional, index_dir = self._made_by
        try:
            index = _search_index(catalog_dir, day, provisional, index_dir)
        except CatalogChanged:  # saved again meanwhile: the next look sees it, and makes the index again
            click.echo("目录在建立检索索引期间又有修改，将重新建立 (the catalog changed meanwhile)", err=True)
            return
        except SystemExit:  # a catalog that cannot be read at all, its reason printed
            message = "目录无法读取"
        except click.ClickException as error:  # the catalog's errors, printed above
            message = error.format_message()
        except Exception as error:  # anything else, as the command would say it
            message = _for_staff(error).format_message()
        else:
            self._replace(index, index_dir)
            return
        click.echo(f"{message}；仍按上一次的目录检索 (still serving the last index)", err=True)

    def _replace(self, index, index_dir: Path) -> None:
        from search.server import release_index

        with self._lock:
            retired, self._replaced, self._index = self._replaced, self._index, index
        # The same documents again (a title changed and changed back) are the same index, reopened.
        if retired is not None and retired.storage.folder not in (index.storage.folder, self._replaced.storage.folder):
            release_index(retired, index_dir)
        click.echo("目录已变化，检索索引已更新 (the catalog changed: index updated)", err=True)


def search_options(function):
    for option in reversed((
        catalog_option, today_option, provisional_option,
        click.option("--index-dir", type=OutputPath(folder=True), default=".gongkai/whoosh",
                     show_default=True, help="Whoosh 索引目录，目录内容变化时自动重建 (Whoosh index folder)"),
    )):
        function = option(function)
    return function


@cli.command("search")
@click.argument("query")
@click.option("--category", default=None, help="公开类别，如 行政法规、规章和规范性文件 (category)")
@click.option("--organ", default=None, help="机关名称 (organ name)")
@click.option("--year", default=None, help="发布年份 (year)")
@click.option("--validity", default=None, help="有效性：有效、失效、废止、不适用 (validity)")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="显示条数 (results shown)")
@format_option
@search_options
def search_command(query, category, organ, year, validity, limit, output_format, catalog_dir, today, provisional,
                   index_dir):
    """在终端检索公开信息，排序与网站检索相同 (search the catalog from the terminal)."""
    from search.server import search

    ix = _search_index(catalog_dir, today, provisional, index_dir)
    results = search(ix, query, {"category": category, "organ": organ, "year": year, "validity": validity})
    if output_format == "json":
        click.echo(json.dumps({"query": query, "total": len(results), "results": results[:limit]},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"“{query}”：共 {len(results)} 条 ({len(results)} results)")
    for rank, doc in enumerate(results[:limit], start=1):
        click.echo(f"{rank:>3}. {doc['title']}\n     {doc['organ']}  {doc['doc_no']}  {doc['date']}  {doc['url']}")


@cli.command("search-serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 (address)")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口 (port)")
@search_options
def search_serve_command(host, port, catalog_dir, today, provisional, index_dir):
    """以 JSON 接口提供检索：GET /search?q=…&category=…&organ=…&year=…&validity=…&page=N (a JSON search API)."""
    from search.server import serve

    index = _LiveIndex(catalog_dir, today, provisional, index_dir)
    click.echo(f"检索接口：http://{host}:{port}/search?q=… （Ctrl+C 结束） (serving)", err=True)
    try:
        serve(index.current, host, port)
    except OSError as error:
        raise click.ClickException(f"无法监听 {host}:{port}：{error.strerror} (cannot listen)") from None
    except KeyboardInterrupt:
        pass


@cli.command("search-export")
@click.argument("path", type=OutputPath())
@click.option("--index", "index_name", default="gongkai", show_default=True,
              help="检索服务中的索引名：小写字母、数字和 . _ + -，以字母或数字开头 (the index's name in the service)")
@click.option("--mapping", "mapping_path", type=OutputPath(), default=None,
              help="同时写出建立该索引用的设置和映射（PUT /索引名 的请求体） (also write the index's settings and mapping)")
@click.option("--overwrite", is_flag=True, help="覆盖已有的文件 (replace existing files)")
@catalog_option
@today_option
@provisional_option
def search_export_command(path, index_name, mapping_path, overwrite, catalog_dir, today, provisional):
    """导出网站检索的全部文档，供检索服务批量导入（Elasticsearch / OpenSearch 的 _bulk） (export the search documents)."""
    from search.export import INDEX_BODY, bulk_lines, valid_index_name

    if not valid_index_name(index_name):
        raise click.BadParameter(f"“{index_name}”不能用作索引名：只能用小写字母、数字和 . _ + -，以字母或数字开头，"
                                 f"最长 255 个字符 (not a valid index name)", param_hint="--index")
    written = [path] + ([mapping_path] if mapping_path else [])
    if mapping_path and _same_file(mapping_path, path):
        raise click.BadParameter(f"{display_path(mapping_path)} 就是导出的文档文件：映射请另取一个文件名 (the mapping and "
                                 f"the documents need two files)", param_hint="--mapping")
    taken = [p for p in written if os.path.lexists(p)]
    if taken and not overwrite:
        raise click.ClickException(already_there(taken[0]))
    catalog, documents = _site_documents(catalog_dir, today or dt.date.today(), provisional)
    # Each document's address as a reader follows it from the service's results: under the site's address where
    # gongkai.yaml gives one (as the feeds and the sitemap give it), else as it is within the site.
    root = site_root(catalog.site.url)
    address = functools.partial(absolute_url, root) if root else str
    try:  # made and written one at a time: 100,000 documents' bodies are never all in memory
        write_atomically(path, (line + "\n" for line in bulk_lines(documents, index_name, address)))
    except CatalogChanged as changed:  # a body is read as its document is written
        raise click.ClickException(f"{changed.path}：文件在导出期间被修改，没有写出检索文档；请重新运行 gongkai search-export "
                                   f"(the file changed during the export; nothing was written)") from None
    if mapping_path:
        write_atomically(mapping_path, json.dumps(INDEX_BODY, ensure_ascii=False, indent=2) + "\n")
    mapping = f"，索引的设置和映射 {display_path(mapping_path)}" if mapping_path else ""
    click.echo(f"已导出 {len(documents)} 篇检索文档到 {display_path(path)}（索引 {index_name}）{mapping} "
               f"(exported {len(documents)} documents)", err=True)


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file: as written, through links, or (on a system whose names ignore case) in
    another case."""
    if os.path.exists(one) and os.path.exists(other):
        return os.path.samefile(one, other)
    return os.path.normcase(os.path.realpath(one)) == os.path.normcase(os.path.realpath(other))


@cli.command("schema")
@click.option("--out", "out_dir", type=OutputPath(folder=True), default=None,
              help="写入该目录（每种文件一个 .json；不存在时创建） (write one file per kind; the folder is made)")
def schema_command(out_dir):
    """输出目录文件的 JSON Schema（含中文说明），供编辑器提示 (JSON Schemas of the catalog files)."""
    schemas = {name: json_schema(schema, many) for name, (schema, many) in FILE_KINDS.items()}
    if out_dir is None:
        click.echo(json.dumps(schemas, ensure_ascii=False, indent=2))
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, body in schemas.items():
        (out_dir / f"{name}.schema.json").write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n",
                                                     encoding="utf-8")


@cli.command("settings")
def settings_command():
    """列出规则设置及默认值，写法与 catalog/gongkai.yaml 中相同（在其 settings: 下修改） (list the settings)."""
    click.echo("# 规则设置及默认值，写法与 catalog/gongkai.yaml 相同：要修改哪一项，把它复制到该文件的 settings: 下再改\n"
               "# (the settings and their defaults, as written in catalog/gongkai.yaml)\nsettings:")
    for setting in SETTINGS:
        choices = f"\n  # 可选：{'、'.join(setting.choices)}" if setting.choices else ""
        written = "\n".join("  " + line for line in as_written(setting).splitlines())
        click.echo(f"  # {setting.help}（依据：{setting.article}）{choices}\n{written}\n")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--kind", type=click.Choice(list(KINDS)), default=None,
              help="每个工作表的数据类型，默认按表头判断 (what every sheet holds; default: from its headers)")
@click.option("--organ", default=None, help="所有行的机关：机关编号或名称 (the organ of every row: id or name)")
@click.option("--dry-run", is_flag=True, help="只检查并列出问题，不写入任何文件 (check only, write nothing)")
@click.option("--update", is_flag=True, help="目录中已有的条目用表格内容更新 (update entries already in the catalog)")
@catalog_option
@today_option
@format_option
def import_command(paths, kind, organ, dry_run, update, catalog_dir, today, output_format):
    """从 Excel 工作簿（.xlsx）或 CSV 文件导入公开事项、权力清单和收费项目；有错误时不写入任何文件 (import spreadsheets).

    每个问题一行“文件:工作表!R行号: 代码 说明” (one problem a line: file:Sheet!R12: CODE)."""
    from .exchange.importer import (
        ImportNotWritten,
        ImportOptions,
        plan_import,
        summary,
        write_plan,
    )

    loaded = _loaded(catalog_dir, provisional=False)
    plan = plan_import(list(paths), loaded.catalog, loaded.calendar,
                       ImportOptions(today or dt.date.today(), kind, organ, update))
    # Written before anything is shown: a file that cannot be written is a problem listed with the others (one
    # list, also as JSON), and the import, undone, has written nothing.
    not_written = []
    if not (plan.errors or dry_run):
        try:
            write_plan(plan)
        except ImportNotWritten as error:
            not_written.append(error.problem)
    _print_problems(plan.problems + not_written, output_format)
    for note in plan.notes:
        click.echo(note, err=True)
    click.echo(summary(plan), err=True)
    if plan.errors:
        click.echo("有错误，未写入任何文件：请修正表格后重新导入 (nothing was written)", err=True)
        sys.exit(1)
    if not_written:
        sys.exit(1)
    for planned in plan.files:
        click.echo(f"{'将' if dry_run else '已'}{planned.action} {display_path(planned.path)}", err=True)


@cli.command("export")
@click.argument("path", type=OutputPath(makes_folders=True))
@click.option("--kind", "kinds", type=click.Choice(list(KINDS)), multiple=True,
              help="只导出这一类，可重复；.csv 须且只能指定一类 (export only this kind; one for .csv)")
@click.option("--encoding", type=click.Choice(CSV_ENCODINGS), default=CSV_ENCODINGS[0], show_default=True,
              help="CSV 文件的编码 (encoding of a CSV file)")
@click.option("--overwrite", is_flag=True, help="覆盖已有的文件 (replace an existing file)")
@catalog_option
def export_command(path, kinds, encoding, overwrite, catalog_dir):
    """把公开事项、权力清单和收费目录导出为 Excel 工作簿（.xlsx，每类一个工作表）或 CSV 文件 (export to .xlsx or .csv)."""
    from .exchange.exporter import export

    loaded = _loaded(catalog_dir, provisional=False)
    errors = loaded.errors + attachment_problems(loaded.catalog)  # their files are copied beside the workbook
    if errors:
        _print_problems(errors, "text")
        raise click.ClickException("目录有错误，有错误的条目无法导出：请先修正（gongkai validate） (the catalog has errors)")
    result = export(loaded.catalog, path, tuple(dict.fromkeys(kinds)) or tuple(KINDS), encoding, overwrite)
    counts = "，".join(f"{KINDS[kind].label} {count} 条" for kind, count in result.counts.items())
    copied = f"，附件和正文文件 {result.copied} 个" if result.copied else ""
    click.echo(f"已导出 {display_path(result.path)}：{counts}{copied}", err=True)
