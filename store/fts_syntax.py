"""FTS5's query expressions, parsed once for both engines.

``tmwatch.output.search.translate`` writes every query as an FTS5 expression. Each engine needs
it written again: PostgreSQL as a tsquery (``pg_search``), SQLite with every prefix term spelt
out as the indexed words it stands for (``fts_terms``), because FTS5 merges the entries of all
the words a prefix starts before it can read a single match. One parser walks FTS5's grammar;
a ``Writer`` says how each node is written, so the engines cannot drift apart on what an
expression means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from tmwatch.store.search_results import SearchSyntaxError

__all__ = ["COLUMN", "Infix", "Word", "Writer", "parse", "syntax_error", "words_of"]

COLUMN = "folded"
"""The one indexed column of search_index."""

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"]|"")*")|(?P<bare>[\w\x1a\x80-\U0010ffff]+)|(?P<punct>\S))',
    re.UNICODE,
)
_PUNCT = {"(": "LP", ")": "RP", ":": "COLON", "+": "PLUS", "*": "STAR"}
_KEYWORDS = {"AND", "OR", "NOT"}
_UNSUPPORTED = {"^": "initial-token queries", "-": "column exclusion", "{": "column sets"}
_WORDS = re.compile(r"[^\W_]+")  # unicode61's tokens: runs of letters and digits

Node = TypeVar("Node")


@dataclass(frozen=True)
class Word:
    """One token of a phrase: the word, and whether it stands for every word it starts."""

    text: str
    prefix: bool


class Writer(Protocol[Node]):
    """How an engine writes each kind of node of a parsed expression."""

    def either(self, left: Node, right: Node) -> Node:
        """``left OR right``."""

    def both(self, left: Node, right: Node) -> Node:
        """``left AND right``."""

    def without(self, left: Node, right: Node) -> Node:
        """``left NOT right``: left, and not right."""

    def together(self, parts: list[Node]) -> Node:
        """Phrases side by side: all of them (FTS5's implicit AND)."""

    def phrase(self, words: list[Word]) -> Node:
        """Tokens in sequence; none for a phrase of no words (``""``), which FTS5 accepts."""


class Infix:
    """The operator nodes of a ``Writer`` of text, each parenthesized so that the engine's own
    precedence never decides anything: ``OR``, ``AND`` and ``NOT`` are the engine's spellings
    (with their spaces); ``phrase`` is each engine's own."""

    OR = " OR "
    AND = " AND "
    NOT = " NOT "

    def either(self, left: str, right: str) -> str:
        return f"({left}{self.OR}{right})"

    def both(self, left: str, right: str) -> str:
        return f"({left}{self.AND}{right})"

    def without(self, left: str, right: str) -> str:
        return f"({left}{self.NOT}{right})"

    def together(self, parts: list[str]) -> str:
        return "(" + self.AND.join(parts) + ")"


@dataclass(frozen=True)
class _Token:
    kind: str  # STRING, LP, RP, COLON, PLUS, STAR, AND, OR, NOT, END
    text: str  # a string's content
    raw: str  # as written: what an error message quotes, as FTS5's do


def syntax_error(message: str) -> SearchSyntaxError:
    return SearchSyntaxError(f"fts5: {message}")


def _tokens(expression: str) -> list[_Token]:
    """FTS5's tokens of ``expression``: quoted strings lose their quotes ("" is one quote);
    only uppercase AND/OR/NOT are operators, as in FTS5, where "and" is a word."""
    found: list[_Token] = []
    position = 0
    while position < len(expression.rstrip()):
        match = _TOKEN.match(expression, position)
        if match is None:  # pragma: no cover - every non-space character matches ``punct``
            break
        position = match.end()
        if match.group("string") is not None:
            raw = match.group("string")
            found.append(_Token("STRING", raw[1:-1].replace('""', '"'), raw))
        elif match.group("bare") is not None:
            word = match.group("bare")
            if word == "NEAR" and expression[position : position + 1] == "(":
                raise syntax_error("NEAR groups are not supported")
            found.append(_Token(word if word in _KEYWORDS else "STRING", word, word))
        else:
            char = match.group("punct")
            if char in _UNSUPPORTED:
                raise syntax_error(f"{_UNSUPPORTED[char]} are not supported")
            if char not in _PUNCT:
                raise syntax_error(f'syntax error near "{char}"')
            found.append(_Token(_PUNCT[char], char, char))
    found.append(_Token("END", "", ""))
    return found


def words_of(text: str) -> list[str]:
    """The tokens FTS5's unicode61 tokenizer makes of a string of the query (lower case)."""
    return _WORDS.findall(text.lower())


class _Parser(Generic[Node]):
    """Recursive descent over FTS5's grammar (fts5parse.y), the part ``translate`` writes.

    Precedence, loosest first: OR, AND, NOT (binary: ``a NOT b`` is a and not b), then the
    implicit AND of phrases side by side, which FTS5 joins before any operator and only
    between phrases (``"a" (b)`` is an error there, so it is one here).
    """

    def __init__(self, expression: str, writer: Writer[Node]) -> None:
        self.tokens = _tokens(expression)
        self.writer = writer
        self.at = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self, kind: str) -> _Token:
        token = self.peek()
        if token.kind != kind:
            raise syntax_error(f'syntax error near "{token.raw}"')
        self.at += 1
        return token

    def parse(self) -> Node:
        tree = self.any_of()
        self.take("END")
        return tree

    def any_of(self) -> Node:
        return self.binary("OR", self.all_of, self.writer.either)

    def all_of(self) -> Node:
        return self.binary("AND", self.excluding, self.writer.both)

    def excluding(self) -> Node:
        return self.binary("NOT", self.primary, self.writer.without)

    def binary(
        self, keyword: str, operand: Callable[[], Node], join: Callable[[Node, Node], Node]
    ) -> Node:
        """Left-associative ``operand (keyword operand)*``, as FTS5's %left rules."""
        tree = operand()
        while self.peek().kind == keyword:
            self.at += 1
            tree = join(tree, operand())
        return tree

    def primary(self) -> Node:
        if self.peek().kind == "LP":
            return self.group()
        if self.column_group_ahead():
            self.column()
            return self.group()
        return self.phrases()

    def group(self) -> Node:
        self.take("LP")
        tree = self.any_of()
        self.take("RP")
        return tree

    def column_group_ahead(self) -> bool:
        kinds = (self.peek().kind, self.peek(1).kind, self.peek(2).kind)
        return kinds == ("STRING", "COLON", "LP")

    def column(self) -> None:
        """A column filter: the index has one searchable column, so it only has to exist."""
        name = self.take("STRING").text
        self.take("COLON")
        if name.lower() != COLUMN:
            raise SearchSyntaxError(f"no such column: {name}")

    def phrases(self) -> Node:
        """Phrases side by side (FTS5's implicit AND); a column group may not join them."""
        found = [self.column_phrase()]
        while self.peek().kind == "STRING":
            if self.column_group_ahead():
                raise syntax_error('syntax error near "("')
            found.append(self.column_phrase())
        return found[0] if len(found) == 1 else self.writer.together(found)

    def column_phrase(self) -> Node:
        if self.peek().kind == "STRING" and self.peek(1).kind == "COLON":
            self.column()
        return self.phrase()

    def phrase(self) -> Node:
        """Strings joined by ``+`` (each maybe a prefix ``*``): one sequence of tokens."""
        words = self.phrase_part()
        while self.peek().kind == "PLUS":
            self.at += 1
            words += self.phrase_part()
        return self.writer.phrase(words)

    def phrase_part(self) -> list[Word]:
        """One string's tokens, as FTS5's tokenizer splits them; ``*`` makes the last a prefix."""
        words = words_of(self.take("STRING").text)
        prefix = self.peek().kind == "STAR"
        if prefix:
            self.at += 1
        return [Word(w, prefix and i == len(words) - 1) for i, w in enumerate(words)]


def parse(expression: str, writer: Writer[Node]) -> Node:
    """``expression`` written by ``writer``; ``SearchSyntaxError`` when FTS5 could not parse
    it either (or it uses FTS5 syntax ``translate`` never writes: NEAR, ^, -, {})."""
    return _Parser(expression, writer).parse()
