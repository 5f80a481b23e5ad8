"""The government website's identity and vocabulary (rules.md §8): 网站标识码, the ICP and 公安 record numbers with
their public links, the 党政机关标识 image, and the 主题分类 topics.

Each check returns what is wrong as (中文, English), or None; ``check/validate`` places it at its line.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..util import is_file

# 网站标识码 [R, the pattern real sites carry]: a 6-digit administrative area code and 4 digits, or bm and 8 digits
# for State Council departments.
_ID_CODE = re.compile(r"(?:\d{6}\d{4}|bm\d{8})")
# ICP备案编号 as the MIIT record system issues it to a government site: 省 abbreviation, ICP备, the number, 号, and
# the site's serial after a dash when one record covers several sites.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ICP = re.compile(rf"[{_PROVINCES}]ICP备\d{{6,10}}号(?:-\d{{1,3}})?")
# 公安机关备案号: 省 abbreviation, 公网安备, the 14-digit record number, 号.
_POLICE = re.compile(rf"[{_PROVINCES}]公网安备\s?(\d{{14}})号")

# Where each record is looked up: the links the footer carries (rules.md §8).
ICP_LOOKUP = "https://beian.miit.gov.cn/"
POLICE_LOOKUP = "https://beian.mps.gov.cn/#/query/webSearch?code="

MARK_TYPES = (".png", ".jpg", ".jpeg", ".gif")  # no SVG: an image that can hold script is not published


def id_code_problem(code: str) -> tuple[str, str] | None:
    if _ID_CODE.fullmatch(code):
        return None
    return ("应为 10 位：6 位行政区划代码加 4 位数字（例如 2200000001），或国务院部门的 bm 加 8 位数字",
            "must be a 6-digit area code and 4 digits, or bm and 8 digits")


def icp_problem(number: str) -> tuple[str, str] | None:
    if _ICP.fullmatch(number):
        return None
    return ("应写成“省简称ICP备数字号”，例如 吉ICP备12345678号 或 吉ICP备12345678号-1",
            "must read like 吉ICP备12345678号")


def site_url_problem(url: str) -> tuple[str, str] | None:
    """The site's address is where every page's own address starts (canonical links, the sitemap, the feeds): a
    query or a fragment after it would stand in the middle of each."""
    if "?" not in url and "#" not in url:
        return None
    return ("不能带“?”或“#”及其后的部分：请写网站的根地址，例如 https://xxgk.example.gov.cn/",
            "must be the site's root address, without ? or #")


def police_problem(number: str) -> tuple[str, str] | None:
    if _POLICE.fullmatch(number):
        return None
    return ("应写成“省简称公网安备 14 位数字号”，例如 吉公网安备22010202000123号",
            "must read like 吉公网安备22010202000123号")


def police_lookup(number: str) -> str | None:
    """The public page of a 公安机关备案号 (None for a malformed one, which validation reports)."""
    match = _POLICE.fullmatch(number)
    return POLICE_LOOKUP + match.group(1) if match else None


def mark_problem(path: Path, root: Path) -> tuple[str, str] | None:
    """The 党政机关标识 image: a file of the catalog, in a type every browser shows and none runs."""
    if not path.is_relative_to(root):
        return "指向目录之外：请把图片放在 catalog/ 目录内", "leaves the catalog"
    if path.suffix.lower() not in MARK_TYPES:
        return "应为 PNG、JPEG 或 GIF 图片", "must be a PNG, JPEG or GIF image"
    if not is_file(path):
        return "文件不存在：请把机构编制部门核发的图片放到该位置", "file not found"
    return None


def top_level(topic: str) -> str:
    """The first level of a topic written 一级/二级 (or 一级\\二级, as on gov.cn)."""
    return re.split(r"[/\\]", topic, maxsplit=1)[0].strip()


def closest_topic(top: str, vocabulary: tuple[str, ...]) -> str:
    """The topic of ``vocabulary`` that ``top`` most resembles: one that contains it or is contained in it, else
    the nearest by characters shared."""
    containing = [t for t in vocabulary if top and (top in t or t in top)]
    if containing:
        return containing[0]
    def ratio(topic: str) -> float:
        return difflib.SequenceMatcher(None, _GENERIC.sub("", top), _GENERIC.sub("", topic)).ratio()
    return max(vocabulary, key=lambda t: (ratio(t), -vocabulary.index(t)))


# Words many topics share, which say nothing about which one is meant (政府工作 is not 港澳台侨工作).
_GENERIC = re.compile(r"工作|管理|、|与")
