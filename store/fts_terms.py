"""The words of SQLite's search index, so that a prefix query reads only the words it needs.

FTS5 answers a prefix term (``"tsentr" *``) by merging, in memory, the entries of every indexed
word the prefix starts (tsentr, tsentra, tsentre…) before it returns a first match; so a rowid
range or a LIMIT saves nothing, and a common stem in a million articles costs hundreds of
milliseconds however few results are shown. The same query with the words spelt out
(``"tsentr" OR "tsentra" OR …``) is read lazily, newest first, and stops at the LIMIT.

So the store keeps ``search_terms``, every word the index holds, as FTS5 itself tokenized it:
a new article's words come from a contentless FTS5 table with the same tokenizer (``terms_of``),
never from a Python imitation of it. Words of deleted articles stay (a spelt-out word that
matches nothing costs nothing). ``spelt_out`` rewrites an FTS5 expression with each prefix term
replaced by the words it stands for; a prefix that starts more than ``MAX_TERMS`` words, or a
phrase whose spellings multiply past ``MAX_SEQUENCES``, stays as written, which FTS5 answers the
old way, with the same matches.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from tmwatch.store.fts_syntax import Infix, Word, parse

__all__ = ["MAX_SEQUENCES", "MAX_TERMS", "TOKENIZER", "record_terms", "spelt_out"]

TOKENIZER = "unicode61 remove_diacritics 2"
"""search_index's tokenizer (store/migrations.py), which the probe table must share."""

MAX_TERMS = 64
"""Words a prefix is spelt out as, at most; a prefix starting more stays a prefix."""

MAX_SEQUENCES = 64
"""Phrases a phrase with prefixes is spelt out as (the product of its words' spellings)."""

_SPELLABLE = re.compile(r"[a-z0-9]+")
"""Query words spelt out: those FTS5 tokenizes exactly as ``fts_syntax.words_of`` (ASCII). The
folded text ``translate`` searches is ASCII; any other word is left for FTS5 to read."""


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _as_written(words: Sequence[Word]) -> str:
    return " + ".join(_quoted(w.text) + (" *" if w.prefix else "") for w in words)


class _SpeltOut(Infix):
    """``fts_syntax.Writer`` of FTS5 text with prefix terms spelt out."""

    def __init__(self, words_starting: Callable[[str], list[str] | None]) -> None:
        self.words_starting = words_starting

    def phrase(self, words: list[Word]) -> str:
        if not words:
            return '""'  # FTS5's empty phrase, as written
        options: list[list[str]] = []
        for word in words:
            spelt = [word.text]
            if word.prefix and _SPELLABLE.fullmatch(word.text):
                found = self.words_starting(word.text)
                if not found:  # too many words to spell out, or none (FTS5 finds none either)
                    return _as_written(words)
                spelt = found
            elif word.prefix:
                return _as_written(words)
            options.append(spelt)
        if _product(len(o) for o in options) > MAX_SEQUENCES:
            return _as_written(words)
        sequences = [" + ".join(map(_quoted, combo)) for combo in itertools.product(*options)]
        return sequences[0] if len(sequences) == 1 else "(" + " OR ".join(sequences) + ")"


def _product(numbers: Any) -> int:
    result = 1
    for number in numbers:
        result *= number
    return result


def spelt_out(db: Any, expression: str) -> str:
    """``expression`` with its prefix terms replaced by the stored words they start (see the
    module's docstring); ``SearchSyntaxError`` when FTS5 could not parse it either."""

    def words_starting(prefix: str) -> list[str] | None:
        rows = db.execute(
            "SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
            (prefix, prefix + "\U0010ffff", MAX_TERMS + 1),
        ).fetchall()
        return None if len(rows) > MAX_TERMS else [str(row[0]) for row in rows]

    return parse(expression, _SpeltOut(words_starting))


def record_terms(db: Any, folded: str) -> None:
    """Add the words FTS5 makes of ``folded`` (a row just indexed) to ``search_terms``, in the
    caller's transaction. The probe is a contentless FTS5 table of this connection's own
    (``temp``), emptied after each use, whose vocabulary is the row's words."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms_probe USING fts5("
        f"folded, tokenize = '{TOKENIZER}', detail = none, content = '')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms_probe_vocab "
        "USING fts5vocab(temp, search_terms_probe, row)"
    )
    db.execute("INSERT INTO temp.search_terms_probe(folded) VALUES (?)", (folded,))
    db.execute(
        "INSERT OR IGNORE INTO search_terms(term) SELECT term FROM temp.search_terms_probe_vocab"
    )
    db.execute("INSERT INTO temp.search_terms_probe(search_terms_probe) VALUES ('delete-all')")


def fill_terms(db: Any) -> None:
    """Every word of the whole index into ``search_terms`` (a migration, and a copied store)."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_index_vocab "
        "USING fts5vocab(main, search_index, row)"
    )
    db.execute("INSERT OR IGNORE INTO search_terms(term) SELECT term FROM temp.search_index_vocab")
