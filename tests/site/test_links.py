"""Staff-written links are published only when they cannot run anything; attachments are linked as they are named."""

from __future__ import annotations

import pytest

from builder.site.templating import Templating
from builder.site.urls import href, relative_url
from builder.weblinks import external, safe_url

UNSAFE = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a]( java\tscript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html,<script>alert(1)</script>)",
    "[a][ref]\n\n[ref]: javascript:alert(1)",
    "[a][ref]\n\n[ref]: DATA:text/html;base64,PHNjcmlwdD4=",
    "![a](javascript:alert(1))",
    "正文见[附件](javascript&#58;alert(1))。",
]


@pytest.mark.parametrize("text", UNSAFE)
def test_a_link_that_could_run_script_is_shown_as_text(text):
    html = str(Templating().markdown(text).html).lower()
    assert "javascript:" not in html.replace("&amp;", "&") or "href" not in html
    for scheme in ("javascript", "vbscript", "data"):
        assert f'href="{scheme}' not in html and f'src="{scheme}' not in html
    assert ">a<" in html or "附件" in html


@pytest.mark.parametrize("url", ["https://www.gov.cn/", "http://a.b/", "mailto:xxgk@example.gov.cn", "tel:12345",
                                 "../items/x/", "#第一条", "files/a.pdf"])
def test_ordinary_links_stay_links(url):
    assert safe_url(url)
    assert f'href="{url}"' in str(Templating().markdown(f"[链接]({url})").html)


@pytest.mark.parametrize("name, linked", [("a#1.pdf", "a%231.pdf"), ("b?.pdf", "b%3F.pdf"), ("100%.pdf", "100%25.pdf"),
                                          ("吉林省指标体系.txt", "吉林省指标体系.txt")])
def test_attachment_names_are_linked_so_that_the_link_finds_them(name, linked):
    assert href(f"items/x/{name}") == f"items/x/{linked}"


def test_a_relative_link_is_never_read_as_a_scheme():
    """An attachment named javascript:alert(1) beside its page is linked as ./javascript:alert(1)."""
    assert relative_url("items/a/", "items/a/javascript:alert(1)") == "./javascript:alert(1)"
    assert relative_url("items/a/", "items/a/mailto:x") == "./mailto:x"
    assert relative_url("items/a/", "items/b/x:y.pdf") == "../b/x:y.pdf"


@pytest.mark.parametrize("url, leaves", [
    ("https://a.example/x.png", True), ("//a.example/x.png", True), ("\\\\a.example/x.png", True),
    (" HTTP://a.example", True), ("tu.png", False), ("/images/a.png", False), ("../附件/图.png", False),
    ("附件:图.png", False),  # a scheme is ASCII letters: browsers read this as a file beside the page
])
def test_an_address_that_leaves_the_site(url, leaves):
    assert external(url) == leaves


def test_an_address_of_the_sites_own_host_does_not_leave_it():
    assert not external("https://XXGK.example.gov.cn/a.png", "xxgk.example.gov.cn")
    assert not external("//xxgk.example.gov.cn/a.png", "xxgk.example.gov.cn")
    assert external("https://xxgk.example.gov.cn.evil.example/a.png", "xxgk.example.gov.cn")
    assert external("https://[bad/a.png", "xxgk.example.gov.cn")
