"""Shells: which pages share one, and what mkdocs writes for it."""

import pytest

from builder.site.shells import shell_key, shell_output


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
