"""Entry text, which is Markdown, as HTML that can never become markup of its own.

CommonMark through markdown-it-py with raw HTML off, so `<script>` or `<img onerror>`
in an entry stays text; images off, so nothing is ever fetched; links only to http(s):
and mailto: (anything else stays as the words it was written with). Single line breaks
are kept, as a person typing in a terminal or in Day One means them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def safe_link(url: str) -> bool:
    """Only web and mail links. The url arrives normalised (entities decoded, anything
    odd percent-encoded), so a scheme hidden by case, spaces or entities cannot pass."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@functools.cache
def markdown_parser() -> MarkdownIt:
    """One parser for the run: parsing keeps no state in it, and each new one would
    be garbage in cycles, which a run with the cyclic collector off never frees."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    parser.enable(["table", "strikethrough"]).disable("image")
    parser.validateLink = safe_link  # type: ignore[method-assign]

    def link_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    parser.add_render_rule("link_open", link_open)
    return parser


def markdown_html(text: str, *, headings_below: int = 3) -> str:
    """One entry's text as HTML, its headings demoted under the page's own: with
    headings_below=3 a `# Heading` becomes <h4>, and nothing goes past <h6>."""
    parser = markdown_parser()
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1:]) + headings_below)}"
    return str(parser.renderer.render(tokens, parser.options, {}))
