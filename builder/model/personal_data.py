"""Personal data in text the site publishes: mobile and landline numbers, 身份证号 and e-mail addresses.

Looked for where catalog text is read: the items' 身份证号 when an item file is parsed (its body is not kept),
the participation files' numbers and addresses by their checks.

The site never publishes what identifies a caller, an applicant or someone who commented (条例 art. 15, rules.md
§9), and a silent strip would publish a case changed behind staff's back: each find is an error at its line, to be
rewritten. Names and street addresses cannot be told from other text and are left to staff.

What callers said (a hotline case's question, a comment not adopted) holds no number or address at all. What the
office wrote (a result, a reason) may name an office's landline or a ``.gov.cn`` mailbox, which are public; a
mobile number or an identity number is personal wherever it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterator

# What people put between the groups of a number: hyphens, dots and the dashes and minus a Chinese input method
# types (—, –, −: NFKC leaves them as they are), up to three of them (138 - 0013, 138  0013); between a phone
# number's groups slashes too. Not an identity number's: an old 索引号 (117077201/2021-00153) is 18 digits.
_SEPARATOR_CHARACTERS = "- \t.\u2010-\u2015\u2212"
_SEP = f"(?:[{_SEPARATOR_CHARACTERS}]{{1,3}})"
_PHONE_SEP = f"(?:[{_SEPARATOR_CHARACTERS}/]{{1,3}})"
# Mainland mobile numbers (11 digits from 13-19), written whole or in groups; +86 / 86 in front is the same number.
_MOBILE = re.compile(rf"(?<![0-9])(?:\+?86{_PHONE_SEP}?)?1[3-9][0-9](?:(?:{_PHONE_SEP}?[0-9]{{4}}){{2}}"
                     rf"|[0-9]{_PHONE_SEP}[0-9]{{3}}{_PHONE_SEP}[0-9]{{4}})(?![0-9])")
# Landlines with their area code (0 + 2-3 digits), e.g. 0431-88888888, 010 12345678, (0391)6633333, 0431 8888 8888.
_LANDLINE = re.compile(rf"(?<![0-9])[(（]?0[1-9][0-9]{{1,2}}[)）]?{_PHONE_SEP}?[2-9][0-9]{{2,3}}{_PHONE_SEP}?[0-9]{{4}}"
                       r"(?![0-9])")
# 身份证号 (GB 11643): 18 characters, the last a digit or X; 15 digits for the first generation. Written whole or
# grouped (410881 19900307 123X as the card groups it, 220102 1990 0307 123X, 4108 8119 9003 0712 3X), the
# 18-character number with a separator wherever one was typed; its birth date must be a real day (_birth_date_valid).
_IDENTITY = re.compile(rf"(?<![0-9A-Za-z])[1-9](?:{_SEP}?[0-9]){{16}}{_SEP}?[0-9Xx](?![0-9A-Za-z])"
                       rf"|(?<![0-9A-Za-z])[1-9][0-9]{{5}}{_SEP}?[0-9]{{6}}{_SEP}?[0-9]{{3}}(?![0-9A-Za-z])")
_SEPARATORS = re.compile(_PHONE_SEP)
# An address of any local part (张三@qq.com), the domain's dots typed as 。 too.
_EMAIL = re.compile(r"[\w.%+-]+@[A-Za-z0-9-]+(?:[.。][A-Za-z0-9-]+)*[.。][A-Za-z]{2,}")
# What identifies a caller besides numbers of these kinds: a QQ number, a WeChat id, a car's plate.
# Named as such: a word after 微信 is often the app's (微信 Android 版), and a province's character before capitals
# is often a word's end (北京CA1234 航班, 新GB50016 标准), neither of them anyone's.
_ACCOUNT = re.compile(r"(?:QQ|qq)号?[:\s]*[1-9][0-9]{4,10}(?![0-9])|微信(?:号[:\s]*|[:：]\s*)[A-Za-z][-_A-Za-z0-9]{5,19}"
                      r"|wxid_[A-Za-z0-9_-]{4,}")
_PROVINCE = "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
_PLATE = re.compile(rf"(?:车牌|号牌|牌照|车号)号?(?:码)?[:\s]*{_PROVINCE}[A-Z][·•.\s]?[A-Z0-9]{{5,6}}(?![A-Z0-9])"
                    rf"|{_PROVINCE}[A-Z][·•][A-Z0-9]{{5,6}}(?![A-Z0-9])")
_PUBLIC_MAIL = re.compile(r"(?:^|\.)gov\.cn$", re.IGNORECASE)


IDENTITY = "身份证号"  # the kind of an identity number, as messages name it


@dataclasses.dataclass(frozen=True)
class Found:
    kind: str     # as the message names it
    kind_en: str
    masked: str   # enough to find it in the file, not enough to publish it again in a log
    line: int = 0  # of the text it is in, from 0


# Characters a reader does not see: zero-width spaces and joiners, the soft hyphen, word joiners, byte-order marks
# (text copied from web pages and Word holds them between digits).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Markdown's backslash escapes and its emphasis and code marks (138\-0013, **138**00138000 show as one number).
_MARKDOWN_MARKS = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|])|[*`]+")


def as_read(text: str) -> str:
    """``text`` as a reader sees its characters: full-width forms as the same characters (１３８…, ＠), invisible ones
    left out, Markdown's escapes and marks and HTML's character references (&#49;) as what they show."""
    normal = unicodedata.normalize("NFKC", text or "")
    if "&" in normal:  # first: a reference may stand for an invisible character (&#8203;, &shy;)
        normal = unicodedata.normalize("NFKC", html.unescape(normal))
    normal = _INVISIBLE.sub("", normal)
    return _MARKDOWN_MARKS.sub("", normal) if "\\" in normal or "*" in normal or "`" in normal else normal


def personal_data(text: str, *, caller: bool) -> list[Found]:
    """Each piece of personal data in ``text``. ``caller``: the text reports what a member of the public said, so
    any phone number or e-mail address in it is theirs."""
    normal = as_read(text)
    found, taken = [], normal
    for match, identity in _identities(normal):
        found.append(identity)
        # Blanked out (same length), so that its digits are not read as a phone number too.
        taken = taken[:match.start()] + "#" * len(match.group()) + taken[match.end():]
    found += [Found("手机号码", "a mobile phone number", _mask(m.group()), _line(taken, m))
              for m in _MOBILE.finditer(taken)]
    if caller:
        found += [Found("电话号码", "a phone number", _mask(m.group()), _line(taken, m))
                  for m in _LANDLINE.finditer(taken)]
        found += [Found("社交账号", "a QQ or WeChat id", _mask_account(m.group()), _line(taken, m))
                  for m in _ACCOUNT.finditer(taken)]
        found += [Found("车牌号码", "a licence plate", _mask_account(m.group()), _line(taken, m))
                  for m in _PLATE.finditer(taken)]
    for match in _EMAIL.finditer(taken):
        domain = match.group().rsplit("@", 1)[1].replace("。", ".")
        if caller or not _PUBLIC_MAIL.search(domain):
            found.append(Found("电子邮箱", "an e-mail address", _mask_mail(match.group()), _line(taken, match)))
    return found


# Eleven digits in groups of four with a few separators at most between (those of _SEP, full-width ones, invisible
# characters, Markdown's marks), as every identity number holds however it is written: text without them has none,
# and is not normalized at all (the bodies of 100,000 items are looked at when first read).
_DIGIT = "[0-9\uff10-\uff19]"
_BETWEEN = "[- \t./\u2010-\u2015\u2212\u3000\uff0d\uff0f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\\\\*`]{0,6}"
# The first digit written out: a pattern that begins with a class (not a repeat of one) is searched for by that class
# alone, position after position in C, and tried only where it matches (a body of ~930 characters: 5.7 µs, against
# 11 µs for the same pattern as {4}: two searches of every item's texts as it is read).
_DIGIT_RUN = re.compile(f"{_DIGIT}{_DIGIT}{{3}}{_BETWEEN}{_DIGIT}{{4}}{_BETWEEN}{_DIGIT}{{3}}")


def identity_numbers(text: str) -> list[Found]:
    """Each 18-character 身份证号 in ``text``: never published, whoever wrote it, and never needed on the site (a
    penalty decision names its party without one). Not the 15-digit first generation, gone since 2013: a company's
    old 15-digit 营业执照注册号, which penalty decisions print, reads as one (310115 000123 456: born 1900-01-23).
    Phone numbers and e-mail addresses in what the office publishes are often its own staff's, on purpose: those
    are left to staff."""
    if not text or not _DIGIT_RUN.search(text) and not ("&" in text and _DIGIT_RUN.search(html.unescape(text))):
        return []
    return [identity for match, identity in _identities(as_read(text))
            if len(_SEPARATORS.sub("", match.group())) == 18]


def _identities(normal: str) -> Iterator[tuple[re.Match, Found]]:
    """Each identity number in the normalized ``normal``, with where it is."""
    for match in _IDENTITY.finditer(normal):
        if _birth_date_valid(_SEPARATORS.sub("", match.group())):
            yield match, Found(IDENTITY, "an identity card number", _mask(match.group()), _line(normal, match))


def _line(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start())


def _birth_date_valid(number: str) -> bool:
    """Whether an 18- or 15-character number carries a real birth date where an identity number does (so that an
    amount or a serial number of that length is not taken for one)."""
    year, rest = (number[6:10], number[10:14]) if len(number) == 18 else ("19" + number[6:8], number[8:12])
    try:
        dt.date(int(year), int(rest[:2]), int(rest[2:]))
    except ValueError:
        return False
    return year[:2] in ("19", "20")


def _mask(number: str) -> str:
    digits = re.sub(r"[^0-9Xx]", "", number)
    if len(digits) == 13 and digits.startswith("86"):  # a mobile number with the country code
        digits = digits[2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _mask_account(text: str) -> str:
    return text[:3] + "*" * max(len(text) - 5, 1) + text[-2:]


def _mask_mail(address: str) -> str:
    local, domain = address.rsplit("@", 1)
    return f"{local[0]}***@{domain}"
