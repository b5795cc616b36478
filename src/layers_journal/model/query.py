"""What a --search means, as a small tree the index turns into SQL.

    walk                 the whole word, in the entry's text (accents and case folded)
    walk*                any word starting with walk
    "slow walk"          the words next to each other, in that order
    rain OR snow         either word (OR in capitals; it joins the two words beside it)
    -rain, NOT rain      entries without the word
    tag:walk, #walk      entries with that tag (tag:wa* for tags starting with wa)
    prompt:river         the word in the prompt the entry answered (prompt:"a phrase")

Words side by side must all match. Pure: no SQL, no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

FIELDS = ("text", "prompt", "tag")


class Term(NamedTuple):
    """One thing to look for: words (a phrase when several) in a field, or a tag."""

    field: str
    text: str
    prefix: bool = False


class Not(NamedTuple):
    node: Node


class Any_(NamedTuple):
    """At least one of the nodes (OR)."""

    nodes: tuple[Node, ...]


class All(NamedTuple):
    """Every node (words side by side)."""

    nodes: tuple[Node, ...]


Node = Term | Not | Any_ | All


class SearchError(ValueError):
    """A search that asks for nothing; the message says why."""


def parse_search(query: str) -> All:
    """The tree of a --search. Raises SearchError when nothing in it can be looked for."""
    factors: list[Node] = []
    joining = negate = False
    for token in tokens(query):
        if not token.quoted and token.body in ("OR", "AND", "NOT") and not token.lead:
            joining = joining or (token.body == "OR" and bool(factors))
            negate = negate or token.body == "NOT"
            continue
        term = make_term(token)
        if term is None:
            continue
        node: Node = Not(term) if negate or token.lead.startswith("-") else term
        if joining:
            previous = factors.pop()
            node = Any_((*previous.nodes, node) if isinstance(previous, Any_) else (previous, node))
        factors.append(node)
        joining = negate = False
    if not factors:
        raise SearchError("--search needs at least one word with a letter or digit.")
    return All(tuple(factors))


class Token(NamedTuple):
    lead: str  # "-", "prompt:", "-prompt:", "tag:", "#" or ""
    body: str
    quoted: bool


LEADS = ("-prompt:", "-tag:", "-#", "prompt:", "tag:", "-", "#")


def tokens(query: str) -> list[Token]:
    """Words split at white space, and "quoted phrases"; a lead such as - or prompt:
    may stand before either."""
    found: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        start = i
        while i < n and not query[i].isspace() and query[i] != '"':
            i += 1
        word = query[start:i]
        lead = next((lead for lead in LEADS if word.lower().startswith(lead)), "")
        if i < n and query[i] == '"' and word.lower() in ("", *LEADS):
            end = query.find('"', i + 1)
            end = n if end < 0 else end
            phrase = query[i + 1 : end]
            i = end + 1
            if i < n and query[i] == "*":
                phrase, i = phrase + "*", i + 1
            found.append(Token(word.lower(), phrase, quoted=True))
            continue
        while i < n and not query[i].isspace():
            i += 1
        word = query[start:i]
        if word == lead:  # a lone - or # is punctuation
            lead = ""
        found.append(Token(lead, word[len(lead) :], quoted=False))
    return found


def make_term(token: Token) -> Term | None:
    """The term a token asks for, None when it holds nothing searchable."""
    lead = token.lead.lstrip("-")
    field = {"prompt:": "prompt", "tag:": "tag", "#": "tag"}.get(lead, "text")
    prefix = token.body.endswith("*")
    body = token.body.rstrip("*").strip()
    if field == "tag":
        body = body.lstrip("#@")
        if not body or any(ch.isspace() for ch in body):
            return None
    elif not any(ch.isalnum() for ch in body):
        return None
    return Term(field, body, prefix)


def positive_terms(node: Node, field: str) -> list[Term]:
    """The terms of a field that a match may contain (not those under NOT): what a
    snippet highlights."""
    if isinstance(node, Term):
        return [node] if node.field == field else []
    if isinstance(node, Not):
        return []
    return [term for child in node.nodes for term in positive_terms(child, field)]


def fold(text: str) -> str:
    """Case and accents folded, as the full-text index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tag_matches(tags: str, wanted: str, prefix: bool) -> bool:
    """Whether any of the tags (one per line) is `wanted`, folded; or starts with it."""
    want = fold(wanted)
    return any(
        (tag.startswith(want) if prefix else tag == want) for tag in fold(tags).split("\n") if tag
    )


def unspaced_script(word: str) -> bool:
    """Chinese, Japanese, Thai and similar scripts do not put spaces between words, so the
    full-text tokenizer sees whole phrases; such words are matched as substrings."""
    return any(
        0x0E00 <= ord(ch) <= 0x0EFF  # Thai, Lao
        or 0x3040 <= ord(ch) <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= ord(ch) <= 0x9FFF  # CJK ideographs
        or 0xF900 <= ord(ch) <= 0xFAFF
        for ch in word
    )
