"""Personal data in published text (rules.md §9, 条例 art. 15): what is found, what is left alone, and how it is
shown in the message."""

from __future__ import annotations

import pytest

from builder.model.personal_data import identity_numbers, personal_data


@pytest.mark.parametrize("text, kind, masked", [
    ("市民（电话 13812345678）反映占道经营", "手机号码", "138****5678"),
    ("来电号码 138-1234-5678", "手机号码", "138****5678"),
    ("+86 138 1234 5678 反映", "手机号码", "138****5678"),
    ("来电人１３８１２３４５６７８反映", "手机号码", "138****5678"),  # full-width digits
    ("身份证号220102199001011234", "身份证号", "220***********1234"),
    ("身份证 22010219900101123X 的申请人", "身份证号", "220***********123X"),
    ("老身份证 220102900101123", "身份证号", "220********1123"),
    ("身份证号 410881 19900307 123X", "身份证号", "410***********123X"),   # grouped as the card groups it
    ("身份证号 410881-19900307-123X", "身份证号", "410***********123X"),
    ("来电 1380-013-8000", "手机号码", "138****8000"),                     # grouped 4-3-4
    ("请回复到 zhang.san@qq.com", "电子邮箱", "z***@qq.com"),
    ("家里电话 0431-88886666", "电话号码", "043*****6666"),
    ("电话（0391）6633333", "电话号码", "039****3333"),
])
def test_what_a_caller_said_holds_no_number_or_address(text, kind, masked):
    [found] = personal_data(text, caller=True)
    assert (found.kind, found.masked) == (kind, masked)


@pytest.mark.parametrize("text, kind, masked", [
    ("来电 138\u200b0013\u200b8000", "手机号码", "138****8000"),        # zero-width spaces, copied from a web page
    ("来电 138\u00ad0013\u00ad8000", "手机号码", "138****8000"),        # soft hyphens, from Word
    ("来电 138 - 0013 - 8000", "手机号码", "138****8000"),
    ("来电 138  0013  8000", "手机号码", "138****8000"),
    ("来电 138/0013/8000", "手机号码", "138****8000"),
    ("来电 138\\-0013\\-8000", "手机号码", "138****8000"),           # Markdown's escapes show 138-0013-8000
    ("来电 **138**00138000", "手机号码", "138****8000"),
    ("来电 &#49;3800138000", "手机号码", "138****8000"),
    ("身份证 410881\u200b19900307\u200b123X", "身份证号", "410***********123X"),
    ("身份证 410881 - 19900307 - 123X", "身份证号", "410***********123X"),
    ("家里电话 0391 - 6633333", "电话号码", "039****3333"),
    ("来电 138&#8203;0013&#8203;8000", "手机号码", "138****8000"),      # a reference to an invisible character
    ("来电 138&shy;0013&shy;8000", "手机号码", "138****8000"),
])
def test_a_number_is_found_however_it_was_typed_or_pasted(text, kind, masked):
    """Found by a security review: each of these was published in a hotline month page."""
    [found] = personal_data(text, caller=True)
    assert (found.kind, found.masked) == (kind, masked)
    if kind == "身份证号":
        assert [f.masked for f in identity_numbers(text)] == [masked]


@pytest.mark.parametrize("text", [
    "请拨打 0431-88886666 咨询",                 # an office's landline
    "答复已发送至 xxgk@jl.gov.cn",              # an office's mailbox
    "拨打 12345 热线",
])
def test_what_the_office_wrote_may_name_an_offices_line(text):
    assert personal_data(text, caller=False) == []


@pytest.mark.parametrize("text", [
    "金额 12345678 元", "2026-11-02 09:15 受理", "索引号 11220000013544357T/2026-00001",
    "统一社会信用代码 11220000013544357T", "编号 220102199013011234（不是日期）", "文号 吉政发〔2026〕21号",
    "建议将 3 条线路末班车延长至 21:30", "",
])
def test_numbers_that_are_not_personal_are_left_alone(text):
    assert personal_data(text, caller=True) == []


def test_a_mobile_number_or_identity_number_is_personal_whoever_wrote_it():
    assert [f.kind for f in personal_data("经办人手机 13912345678", caller=False)] == ["手机号码"]
    assert [f.kind for f in personal_data("转给 someone@163.com 处理", caller=False)] == ["电子邮箱"]


def test_an_identity_number_is_not_also_read_as_a_phone_number():
    assert [f.kind for f in personal_data("证件 220102199001011234", caller=True)] == ["身份证号"]


def test_identity_numbers_in_what_an_office_publishes_are_found_on_their_line():
    body = "行政处罚决定书\n\n当事人：李四\n身份证号：１１０１０１１９９００３０７１２３４\n联系电话 13912345678\n"
    [found] = identity_numbers(body)
    assert (found.kind, found.masked, found.line) == ("身份证号", "110***********1234", 3)
    assert identity_numbers("联系人：张三，电话 13812345678，邮箱 zhangsan@163.com") == [], \
        "staff's own contacts in a notice are published on purpose"
    assert identity_numbers("统一社会信用代码 11220000013544357T，罚款 12345678 元") == []
    assert [n.masked for n in identity_numbers("当事人 410881 19900307 123X")] == ["410***********123X"]
    assert identity_numbers("营业执照注册号：310115000123456；220104000112233") == [], \
        "a company's 15-digit registration number reads as a first-generation identity number"


@pytest.mark.parametrize("text, kind", [
    ("座机 0431 8888 8888", "电话号码"),                        # grouped landline
    ("电话：0431—88888888", "电话号码"),                        # the dash an input method types
    ("手机 138—0013—8000", "手机号码"),
    ("手机 138–0013–8000", "手机号码"),
    ("手机 138.0013.8000", "手机号码"),
    ("身份证 220102 1990 0307 123X", "身份证号"),              # grouped otherwise than the card
    ("身份证 4108 8119 9003 0712 3X", "身份证号"),
    ("回复到 zhangsan@qq。com", "电子邮箱"),                    # the domain's dot typed as 。
    ("回复到 张三@qq.com", "电子邮箱"),
    ("加我 QQ 123456789", "社交账号"),
    ("微信 wxid_zhangsan88", "社交账号"),
    ("车牌豫U·12345 的车主", "车牌号码"),
])
def test_numbers_written_as_people_write_them_are_found(text, kind):
    """Found by a review: each of these reached a hotline page, its CSV and the search index."""
    assert [found.kind for found in personal_data(text, caller=True)] == [kind]


def test_separated_digits_that_make_no_birth_date_are_no_identity_number():
    assert personal_data("名次 1 2 3 4 5 6 7 8 9 1 0 1 1 1 2 1 3 1", caller=True) == []
    assert identity_numbers("表中各项：1 2 3 4 5 6 7 8 9 1 0 1 1 1 2 1 3 1") == []
    assert [n.masked for n in identity_numbers("当事人 4108 8119 9003 0712 3X")] == ["410***********123X"]


@pytest.mark.parametrize("text", ["反映乘坐北京CA1234航班延误", "反映所购新MATE60手机存在质量问题",
                                  "未按新GB50016标准设置消防通道", "反映微信 Android 版无法缴纳水费",
                                  "咨询微信 WeChat Pay 能否缴纳社保", "关注微信公众号 jlfb 获取通知"])
def test_words_that_look_like_plates_or_accounts_are_not_taken_for_them(text):
    """Found in review: each was an error that stopped the build."""
    assert personal_data(text, caller=True) == []


def test_an_old_index_number_or_a_work_orders_number_is_no_identity_number():
    """Found by a review: 117077201/2021-00153 (an organisation code, a year, a serial: 18 digits) was read as one,
    and stopped the build."""
    assert identity_numbers("依据索引号 117077201/2021-00153 的文件") == []
    assert personal_data("详见 117077201/2021-00153", caller=False) == []


def test_an_identity_number_written_with_a_character_reference_is_found_in_a_body():
    assert [f.masked for f in identity_numbers("身份证号 410881&#49;9900307123X")] == ["410***********123X"]
