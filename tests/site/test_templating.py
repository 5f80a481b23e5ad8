"""Staff-written Markdown (builder/site/templating.py): plain paragraphs skip Markdown and give the same HTML."""

from __future__ import annotations

import markdown
from conftest import random_texts
from markdown.extensions.toc import slugify_unicode

from benchmarks.generate import sentences_of_example
from builder.site.templating import MARKUP, NoRawHtml, Templating
from builder.util import strip_control

# What government texts hold that only looks like Markdown: bracketed years, plus signs, parentheses.
LINKISH = [*"政府信息公开第二十三（）。", "[", "]", "[2019]", "(", ")", "+", "\n", "\n\n", "\n+", " ", ":", "a", "1"]


def test_plain_paragraphs_skip_markdown_with_the_same_html():
    reference = markdown.Markdown(extensions=["tables", "toc", NoRawHtml()],
                                  extension_configs={"toc": {"baselevel": 2, "slugify": slugify_unicode}})
    texts = random_texts(20000, 5) + sentences_of_example() + random_texts(5000, 6, LINKISH)
    templating = Templating()
    shortcut = 0
    for text in texts:
        reference.reset()
        assert str(templating.markdown(text).html) == reference.convert(strip_control(text)), repr(text)
        shortcut += not MARKUP.search(strip_control(text))
    assert shortcut > 1000, "the shortcut is taken for plain text"


def test_raw_html_and_inline_code_are_escaped_once():
    html = str(Templating().markdown("用 `<b>` 加粗；<script>alert(1)</script>").html)
    assert "<code>&lt;b&gt;</code>" in html
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "&amp;lt;" not in html
