"""What a user narrows a search or a digest by, checked against what the store holds.

A filter value that nothing stored carries (a misspelt tag, a language never crawled, a person
no article names, a start date after the end date) would otherwise give an empty result that
reads as "nothing was reported" -- the worst mistake for a monitor. So ``check_filters`` turns
such a value into a ``FilterError`` whose message is one line listing the values that exist;
``tmwatch search`` and ``tmwatch digest`` both call it, so the rule cannot differ between them.

Names are resolved here, in Python, rather than in SQL: folding a person's name across scripts
(``tmwatch.folding``) and Unicode case folding of outlet names are not things SQLite does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tmwatch.config.lexicons import Person, Watchlist
from tmwatch.folding import WORD, fold, lower
from tmwatch.store import Store
from tmwatch.store.archive import ArticleFilter

_NOT_INDEXED = re.compile(r"[^a-z0-9]")
_VOWELS = "aeiouy"


class FilterError(ValueError):
    """A filter names something the store does not hold; the message is one line for the user."""


@dataclass(frozen=True)
class CheckedFilters:
    """Filters resolved against the store: every value here exists in it.

    ``persons`` are canonical names and ``sources`` source keys (None: not filtered on), so
    the result of one ``--person`` or ``--outlet`` can be several of them; dates are ISO days.
    """

    tag: str | None = None
    persons: tuple[str, ...] | None = None
    language: str | None = None
    sources: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> ArticleFilter:
        """The store's filter for these values."""
        return ArticleFilter(
            tag=self.tag,
            persons=self.persons,
            language=self.language,
            sources=self.sources,
            since=self.since,
            until=self.until,
        )


def folded(word: str) -> str:
    """A word as the search index holds it: its folded skeleton, letters and digits only."""
    return _NOT_INDEXED.sub("", fold(re.split("['’]", word)[0]))


def stem(word: str) -> str:
    """The prefix a word is searched by: its folded form less a final vowel when long enough.

    The vowel goes so that case endings match (``Taganova`` finds Тагановой); the query
    language and ``--person`` share this so a name means the same in both.
    """
    result = folded(word)
    if len(result) > 4 and result[-1] in _VOWELS:
        result = result[:-1]
    return result


def _person_spellings(person: Person | None, canonical: str) -> list[str]:
    parts = [folded(w) for w in WORD.findall(canonical)]
    if person is not None:
        parts += [folded(w) for s in (*person.first, *person.last) for w in WORD.findall(s)]
    return [p for p in parts if p]


def resolve_person(store: Store, name: str, watchlist: Watchlist | None = None) -> list[str]:
    """Canonical names of stored persons that ``name`` (any script, any part) refers to.

    Every word of ``name`` must be the start of a part of the canonical name or, given the
    watchlist, of one of the person's listed spellings: ``Ahmet Rahmanow`` then finds Akhmed
    Rakhmanov although "ahmed" does not start with "ahmet".
    """
    wanted = [s for s in (stem(w) for w in WORD.findall(name)) if s]
    if not wanted:
        return []
    people = {p.name: p for p in watchlist.people} if watchlist else {}
    result = []
    for canonical in store.archive.person_labels():
        parts = _person_spellings(people.get(canonical), canonical)
        if all(any(p.startswith(w) for p in parts) for w in wanted):
            result.append(canonical)
    return result


def resolve_outlet(store: Store, name: str) -> list[str]:
    """Source keys of stored articles whose outlet name contains ``name`` or whose key it is.

    Case is folded the Unicode way, Turkish dotted I included (``BİRGÜN`` finds BirGün).
    """
    wanted = _caseless(name)
    if not wanted:
        return []
    return sorted(
        {
            source
            for outlet, source in store.archive.outlets()
            if wanted in _caseless(outlet) or wanted == _caseless(source)
        }
    )


def _caseless(text: str) -> str:
    return lower(text.strip()).casefold()


def _day(value: str | date | None, option: str) -> str | None:
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise FilterError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _listing(values: list[str], what: str) -> str:
    """``what in the store: a, b, c`` on one line, whatever the stored values contain."""
    if not values:
        return f"the store has no {what} yet"
    return f"{what} in the store: " + ", ".join(" ".join(v.split()) for v in values)


def check_filters(
    store: Store,
    *,
    tag: str | None = None,
    person: str | None = None,
    language: str | None = None,
    outlet: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    watchlist: Watchlist | None = None,
) -> CheckedFilters:
    """Resolve the filters a user gave against ``store``; raise ``FilterError`` for a value
    that matches nothing stored, or for ``since`` after ``until``.

    Tags and languages are matched without regard to case and returned as stored. ``person``
    is resolved by ``resolve_person`` (pass the watchlist to accept all its spellings),
    ``outlet`` by ``resolve_outlet``. Dates may be ``date`` objects or ISO strings.
    """
    first, last = _day(since, "--since"), _day(until, "--until")
    if first and last and first > last:
        raise FilterError(f"--since {first} is after --until {last}")
    checked_tag = None
    if tag is not None:
        tags = store.archive.label_values("tag")
        checked_tag = _known(tag, tags, "--tag", "tags")
    checked_language = None
    if language is not None:
        languages = store.archive.languages()
        checked_language = _known(language, languages, "--lang", "languages")
    persons = None
    if person is not None:
        persons = tuple(resolve_person(store, person, watchlist))
        if not persons:
            stored = store.archive.person_labels()
            raise FilterError(
                f"no watched person in the store matches --person {person!r}; "
                + _listing(stored, "persons")
            )
    sources = None
    if outlet is not None:
        sources = tuple(resolve_outlet(store, outlet))
        if not sources:
            keys: dict[str, list[str]] = {}
            for name, key in store.archive.outlets():
                keys.setdefault(name, []).append(key)
            listed = [
                name if keys[name] == [name] else f"{name} ({', '.join(keys[name])})"
                for name in sorted(keys)
            ]
            raise FilterError(
                f"no stored outlet matches --outlet {outlet!r}; " + _listing(listed, "outlets")
            )
    return CheckedFilters(checked_tag, persons, checked_language, sources, first, last)


def _known(value: str, stored: list[str], option: str, what: str) -> str:
    """``value`` as stored (case aside), or a ``FilterError`` listing what is stored."""
    wanted = _caseless(value)
    for candidate in stored:
        if _caseless(candidate) == wanted:
            return candidate
    raise FilterError(f"unknown {option} {value!r}; " + _listing(stored, what))
