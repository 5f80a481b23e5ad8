"""Shells: which pages share one, and what mkdocs writes for it."""

import pytest

from builder.site.shells import CONTENT, META, TITLE, Shell, shell_key, shell_output
from builder.site.structure import SitePage


@pytest.mark.parametrize("url, key", [
    ("items/11220000013544357T_2026-00001.html", "items/gk-shell.html"),  # a page that is a file
    ("organs/jiyuan-city/", "organs/gk-shell/"),                          # a folder's index.html
    ("organs/jiyuan-city/page/2.html", "organs/gk-shell/gk-shell/gk-shell.html"),
    ("hotline/2026-11/", "hotline/gk-shell/"),
    ("organs/", "organs/"),                                               # a column: its own, rendered by mkdocs
    ("", ""),
])
def test_pages_share_a_shell_when_their_links_to_the_rest_of_the_site_are_the_same(url, key):
    assert shell_key(url) == key


def test_a_file_page_and_a_folder_page_of_one_depth_have_shells_of_their_own():
    # items/x.html links to ../organs/; a page at items/x/ would link to ../../organs/
    assert shell_key("items/a.html") != shell_key("items/a/")


@pytest.mark.parametrize("key, output", [("items/gk-shell.html", "items/gk-shell.html"),
                                         ("organs/gk-shell/gk-shell/gk-shell.html", "organs/gk-shell")])
def test_what_mkdocs_wrote_for_a_shell_is_removed_whole(key, output):
    assert shell_output(key) == output


def test_a_page_filled_into_its_shell_has_the_bytes_of_the_whole_page_encoded_at_once():
    """The shell's own text is encoded once and the page's parts each time: a character UTF-8 cannot hold (a lone
    surrogate, which a YAML escape "\\ud800" makes) is a character reference either way."""
    theme = f"<html><head><title>{TITLE} - 政府信息公开</title>{META}</head><body>{CONTENT}<p>页脚\ud800</p></body></html>"
    shell = Shell.parse(theme, "items/gk-shell.html", None)
    page = SitePage("items/a.html", "通知\ud800", "<h1>通知</h1><p>正文\udfff</p>", meta=(("SiteName", "站"),))
    whole = theme.replace(TITLE, "通知\ud800").replace(CONTENT, page.html).replace(META, page.meta_html)
    assert shell.fill(page) == whole.encode("utf-8", errors="xmlcharrefreplace")
    assert b"&#55296;" in shell.fill(page) and b"&#57343;" in shell.fill(page)
