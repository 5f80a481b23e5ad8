"""Staff-written Markdown (builder/site/templating.py): plain paragraphs skip Markdown and give the same HTML."""

from __future__ import annotations

import markdown
from markdown.extensions.toc import slugify_unicode

from benchmarks.generate import sentences_of_example
from builder.site.templating import MARKUP, Templating, body_markdown
from conftest import random_texts

# What government texts hold that only looks like Markdown: bracketed years, plus signs, parentheses.
LINKISH = [*"政府信息公开第二十三（）。", "[", "]", "[2019]", "(", ")", "+", "\n", "\n\n", "\n+", " ", ":", "a", "1"]


def test_plain_paragraphs_skip_markdown_with_the_same_html():
    reference = markdown.Markdown(extensions=["tables", "toc"],
                                  extension_configs={"toc": {"baselevel": 2, "slugify": slugify_unicode}})
    texts = random_texts(20000, 5) + sentences_of_example() + random_texts(5000, 6, LINKISH)
    templating = Templating()
    shortcut = 0
    for text in texts:
        reference.reset()
        assert str(templating.markdown(text).html) == reference.convert(body_markdown(text)), repr(text)
        shortcut += not MARKUP.search(body_markdown(text))
    assert shortcut > 1000, "the shortcut is taken for plain text"
