"""Finding watched people in any script and inflection, misspelt or under an alias.

Every spelling is folded to a script-independent skeleton: Cyrillic is transliterated, Turkmen and
Turkish letters are reduced (ä->a, ň->n, ý/ı/ы->y, w->v, kh->h), doubled letters collapse and a
y between vowels drops (Аннаев = Annayev = Annaýew -> "anaev"). A word matches a surname when its
skeleton is the surname's stem followed by a Russian case ending, a Turkmen suffix, or (after an
apostrophe) a Turkish or English suffix: Тагановой, Taganowanyň, Taganova'nın, Rakhmanov's.

A common surname alone never identifies a person, nor does a surname after a different first name
(a namesake); a full name, an initial and surname, or a surname the watchlist marks distinctive
does. Once a person is identified in a text, later surname-only mentions are attributed too.

Real coverage misspells surnames (Abdulov for Abulov, Durdiev for Durdyev). A surname one edit
away from a watched one (or one listed transliteration swap away) is read as that person only
with one of the person's first names beside it, never alone, never when short, and never when it
is another person's name. A man's surname in a woman's form beside his undeclined first name
("Aziz Mamedova") names a woman. "Name Surname (Othername)" keeps the first name with both
surnames. Aliases (another surname a person is reported under) match like the person's own name.

What counts (endings, namesake first names, edits, swaps, brackets) is data:
``config/name_policy.toml``. Every match says which form fired, in ``NameMatch.variant``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tmwatch.config.lexicons import Alias, NamePolicy, Person, load_name_policy
from tmwatch.folding import WORD, fold

_READINGS = 50_000
"""Words whose readings a matcher keeps (then it starts afresh): a few MB at most."""


@lru_cache(maxsize=1)
def default_policy() -> NamePolicy:
    """The packaged name policy, read once per process."""
    return load_name_policy()


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    stem: str  # skeleton of the part before any apostrophe
    tail: str | None  # skeleton of the part after an apostrophe, if any

    @property
    def head(self) -> str:
        """The written word before any apostrophe (Rahmanov of Rahmanov'un)."""
        return self.text.replace("’", "'").partition("'")[0]


_fold = lru_cache(maxsize=65536)(fold)
"""``fold`` remembered: an article's words are mostly words folded before."""


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in WORD.finditer(text):
        raw = match.group(0)
        head, sep, tail = raw.replace("’", "'").partition("'")
        tokens.append(
            Token(match.start(), match.end(), raw, _fold(head), _fold(tail) if sep else None)
        )
    return tokens


@lru_cache(maxsize=8192)
def _letters(word: str) -> str:
    """A word letter by letter in the skeleton's alphabet, before doubles collapse and the y
    between vowels drops: what tells Rahmannow from the listed Rahmanow although both fold to
    "rahmanov", so evidence can say a name was spelt differently."""
    return "".join(fold(c) for c in word).replace("kh", "h")


@lru_cache(maxsize=8192)
def _written(head: str, skeleton: str) -> str:
    """The longest beginning of the written word whose skeleton is ``skeleton``: the surname as
    written without its ending (Rahmannow of Rahmannowy), for evidence."""
    return next((head[:k] for k in range(len(head), 0, -1) if fold(head[:k]) == skeleton), head)


def _script(word: str) -> str:
    """The Unicode script of the word's first letter, lowercased: "cyrillic", "latin", ..."""
    return unicodedata.name(word[:1], "?").split(" ", 1)[0].lower() if word else ""


def _one_edit(written: str, listed: str) -> bool:
    """True when ``written`` is ``listed`` with one letter inserted, deleted, replaced, or two
    neighbouring letters swapped (optimal string alignment distance 1)."""
    if written == listed or abs(len(written) - len(listed)) > 1:
        return False
    i = 0
    while i < min(len(written), len(listed)) and written[i] == listed[i]:
        i += 1
    if len(written) == len(listed):
        if written[i + 1 :] == listed[i + 1 :]:
            return True
        return (
            i + 1 < len(written)
            and written[i] == listed[i + 1]
            and written[i + 1] == listed[i]
            and written[i + 2 :] == listed[i + 2 :]
        )
    longer, shorter = (written, listed) if len(written) > len(listed) else (listed, written)
    return longer[:i] + longer[i + 1 :] == shorter


def _distance(a: str, b: str) -> int:
    """Levenshtein distance; used only to pick which listed spelling evidence shows."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _surname_stem(spelling: str, gender: str) -> str:
    folded = fold(spelling)
    if gender == "f" and folded.endswith("a"):
        return folded[:-1]  # Taganova -> taganov: the feminine -a is one of the endings
    return folded


def _swapped(stem: str, swaps: tuple[tuple[str, str], ...]) -> set[str]:
    """Every skeleton one listed swap away from ``stem`` (Rahmanov -> raksmanov, for x = kh)."""
    found = set()
    for a, b in swaps:
        for old, new in ((fold(a), fold(b)), (fold(b), fold(a))):
            at = stem.find(old)
            while at >= 0:
                found.add(stem[:at] + new + stem[at + len(old) :])
                at = stem.find(old, at + 1)
    return found - {stem}


@dataclass(frozen=True)
class NameMatch:
    person: Person
    start: int
    end: int
    text: str
    variant: str
    """Which form fired: "full name", "full name, surname in brackets", "initial and surname",
    "surname (distinctive)" or "surname"; then, comma-separated, "alias: <alias name>" and how
    the written surname differs from the listed one ("surname one edit: Abulov→Abdulov",
    "surname letter swap: Rakhmanov→Raxmanov", "surname spelling: ...")."""


@dataclass
class _Name:
    """One name of a watched person, their own or an alias, ready for matching."""

    index: int
    person: Person
    alias: Alias | None
    spellings: tuple[tuple[str, str], ...]  # (skeleton stem, listed spelling)
    distinctive: bool
    forgivable: frozenset[str] = frozenset()  # stems long enough to forgive an edit
    swapped: dict[str, str] = field(default_factory=dict)  # swapped stem -> its listed stem
    namesakes: frozenset[str] = frozenset()  # skeletons that are other people's surnames


@dataclass(frozen=True)
class _Hit:
    """A word read as a surname of one name: exactly, or one edit or swap away."""

    token: int
    name: _Name
    stem: str  # the listed skeleton stem it was read as
    written: str  # the word's own skeleton stem
    ending: str
    kind: str  # "exact", "edit", "swap"


class PersonMatcher:
    """Finds the watchlist's people in a text; built once per watchlist."""

    def __init__(self, people: tuple[Person, ...], policy: NamePolicy | None = None) -> None:
        self.people = people
        self.policy = policy = policy or default_policy()
        plain = {fold(e) for e in (*policy.russian, *policy.turkmen_after_consonant)}
        plain |= {fold("a" + e) for e in policy.turkmen_after_vowel}
        self._plain = frozenset(plain)
        self._longest_ending = max(map(len, plain), default=0)
        self._apostrophe = frozenset(fold(e) for e in policy.after_apostrophe)
        self._feminine = frozenset(fold(e) for e in policy.feminine_endings)
        self._dative = tuple(e.lower() for e in policy.dative_endings)
        self._names: list[_Name] = []
        # A person's first names (their own and their aliases') go with every surname they have.
        self._first_names: dict[str, frozenset[str]] = {}
        self._initials: dict[str, frozenset[str]] = {}
        self._number: dict[str, int] = {}
        self._first: dict[str, set[int]] = {}  # first-name skeleton -> person numbers; -1: other
        for n in policy.namesake_first_names:
            self._first.setdefault(fold(n), set()).add(-1)
        for number, person in enumerate(people):
            first = {fold(s) for s in person.first}
            first |= {fold(s) for a in person.aliases for s in a.first}
            self._first_names[person.key] = frozenset(first)
            self._initials[person.key] = frozenset(f[:1] for f in first)
            for f in first:
                self._first.setdefault(f, set()).add(number)
            self._number[person.key] = number
            namesakes = {fold(s) for s in person.namesakes}
            namesakes |= {_surname_stem(s, person.gender) for s in person.namesakes}
            for alias in (None, *person.aliases):
                last = alias.last if alias else person.last
                self._names.append(
                    _Name(
                        index=len(self._names),
                        person=person,
                        alias=alias,
                        spellings=tuple((_surname_stem(s, person.gender), s) for s in last),
                        distinctive=alias.distinctive if alias else person.distinctive,
                        namesakes=frozenset(namesakes),
                    )
                )
        self._names_of: dict[int, list[_Name]] = {}  # person number -> their names
        for name in self._names:
            self._names_of.setdefault(self._number[name.person.key], []).append(name)
        self._surnames: dict[str, list[_Name]] = {}  # skeleton stem -> the names it is a surname of
        for name in self._names:
            for stem, _ in name.spellings:
                self._surnames.setdefault(stem, []).append(name)
        self._surname_lengths = sorted({len(s) for s in self._surnames if s})
        self._first_lengths = sorted({len(s) for s in self._first if s})
        # The first three letters of every indexed name (shorter names whole, and their
        # beginnings with every ending, so that "al" + "i" still passes): a cheap first filter.
        keys = [*self._surnames, *self._first]
        self._starts = frozenset(k[:3] for k in keys) | frozenset(
            (k + e)[:3] for k in keys if len(k) < 3 for e in self._plain
        )
        self._readings: dict[tuple[str, str | None], tuple[list, frozenset[int]]] = {}
        for name in self._names:
            if not policy.max_edits:
                continue
            stems = {s for s, _ in name.spellings if len(s) >= policy.min_length}
            name.forgivable = frozenset(stems)
            name.swapped = {
                variant: stem
                for stem in sorted(stems)
                for variant in sorted(_swapped(stem, policy.swaps))
                if variant not in self._surnames and variant not in name.namesakes
            }

    # -- reading one word ---------------------------------------------------------------------

    def _split(self, token: Token, lengths: list[int], index: dict) -> list[tuple[str, str]]:
        """(stem, ending) for every way the word is an indexed stem plus an allowed ending."""
        if token.tail is not None and token.tail not in self._apostrophe:
            return []
        stem = token.stem
        if stem[:3] not in self._starts:  # most words start like no name at all
            return []
        return [
            (stem[:k], stem[k:])
            for k in lengths
            if k <= len(stem) and stem[:k] in index and stem[k:] in self._plain
        ]

    def _read(self, token: Token) -> tuple[list[tuple[str, str]], frozenset[int]]:
        """A word's readings as a surname (stem, ending) and whose first name it is; words
        repeat across a crawl, so readings are kept (a bounded cache: most words read as
        nothing, and this runs on every word of every article)."""
        key = (token.stem, token.tail)
        found = self._readings.get(key)
        if found is None:
            owners: set[int] = set()
            for stem, _ in self._split(token, self._first_lengths, self._first):
                owners |= self._first[stem]
            found = (self._split(token, self._surname_lengths, self._surnames), frozenset(owners))
            if len(self._readings) >= _READINGS:
                self._readings.clear()
            self._readings[key] = found
        return found

    def _near_hit(self, tokens: list[Token], i: int, name: _Name) -> _Hit | None:
        """The word as a misspelling of one of ``name``'s surnames, if the policy forgives it."""
        token = tokens[i]
        if not name.forgivable or (token.tail is not None and token.tail not in self._apostrophe):
            return None
        word = token.stem
        for k in range(len(word), max(len(word) - self._longest_ending, 0) - 1, -1):
            written, ending = word[:k], word[k:]
            if ending not in self._plain or written in name.namesakes:
                continue
            if written in name.swapped:
                return _Hit(i, name, name.swapped[written], written, ending, "swap")
            for stem in name.forgivable:
                if self.policy.same_first_letter and written[:1] != stem[:1]:
                    continue
                if _one_edit(written, stem):
                    return _Hit(i, name, stem, written, ending, "edit")
        return None

    # -- the text ------------------------------------------------------------------------------

    def find(self, text: str) -> list[NameMatch]:
        tokens = tokenize(text)
        readings = [self._read(t) for t in tokens]
        surnames = [
            [
                _Hit(i, name, stem, stem, ending, "exact")
                for stem, ending in splits
                for name in self._surnames[stem]
            ]
            for i, (splits, _) in enumerate(readings)
        ]
        firsts = [owners for _, owners in readings]
        hits = [h for found in surnames for h in found]
        # Misspellings are looked for only beside a watched first name, in a word that is no
        # surname and no first name itself.
        tried: set[tuple[int, int]] = set()
        for i, owners in enumerate(firsts):
            if not owners:
                continue
            for number in sorted(o for o in owners if o >= 0):
                for name in self._names_of[number]:
                    for j in self._surname_places(text, tokens, i):
                        if surnames[j] or firsts[j] or (j, name.index) in tried:
                            continue
                        tried.add((j, name.index))
                        hit = self._near_hit(tokens, j, name)
                        if hit is not None:
                            hits.append(hit)
        found: list[NameMatch] = []
        pending: list[NameMatch] = []  # common surnames alone: kept if the person is identified
        identified: set[str] = set()
        for hit in sorted(hits, key=lambda h: (h.token, h.name.index)):
            decided = self._decide(text, tokens, firsts, hit)
            if decided is None:
                continue
            match, identifies = decided
            if identifies:
                identified.add(match.person.key)
                found.append(match)
            else:
                pending.append(match)
        found += [m for m in pending if m.person.key in identified]
        unique = {(m.start, m.end, m.person.key): m for m in found}
        return sorted(unique.values(), key=lambda m: (m.start, m.person.key))

    def _gap(self, text: str, tokens: list[Token], a: int, b: int) -> str:
        return text[tokens[a].end : tokens[b].start]

    def _surname_places(self, text: str, tokens: list[Token], i: int) -> list[int]:
        """Where a misspelt surname of the first name at ``i`` may stand: right after it, right
        before it, or bracketed after another surname ("Ahmet Gurbanow (Rahmanow)"); the words
        must be apart by spaces (and the brackets), not by punctuation or a line break."""
        places = []
        if i + 1 < len(tokens) and self._spaces(self._gap(text, tokens, i, i + 1)):
            places.append(i + 1)
        if i and self._spaces(self._gap(text, tokens, i - 1, i)):
            places.append(i - 1)
        if i + 2 < len(tokens) and self._bracketed(text, tokens, i + 2):
            places.append(i + 2)
        return places

    @staticmethod
    def _spaces(gap: str) -> bool:
        return not gap.strip() and "\n" not in gap

    def _bracketed(self, text: str, tokens: list[Token], j: int) -> bool:
        """True when word ``j`` opens a bracket right after the word before it ("X (Y")."""
        return (
            j >= 2
            and self._spaces(self._gap(text, tokens, j - 2, j - 1))
            and self._gap(text, tokens, j - 1, j).strip() in self.policy.bracket_open
        )

    def _skipped_bracket(self, text: str, tokens: list[Token], j: int) -> bool:
        """True when the word before ``j`` is in brackets of its own ("Aziz (Eziz) Mamedov")."""
        return (
            j >= 2
            and self._gap(text, tokens, j - 2, j - 1).strip() in self.policy.bracket_open
            and self._gap(text, tokens, j - 1, j).strip() in self.policy.bracket_close
        )

    def _is_first(self, firsts: list[frozenset[int]], k: int, person: Person) -> bool:
        return self._number[person.key] in firsts[k]

    def _is_other_first(self, firsts: list[frozenset[int]], k: int, person: Person) -> bool:
        return bool(firsts[k]) and self._number[person.key] not in firsts[k]

    def _is_initial(self, text: str, token: Token, person: Person) -> bool:
        return (
            len(token.text) == 1
            and text[token.end : token.end + 1] == "."
            and token.stem[:1] in self._initials[person.key]
        )

    def _decide(
        self, text: str, tokens: list[Token], firsts: list[frozenset[int]], hit: _Hit
    ) -> tuple[NameMatch, bool] | None:
        """The match a surname hit makes in its context and whether it identifies the person
        (a lone common surname does not); None for a namesake, a woman of the name, or a
        misspelling without the first name."""
        j, name, person = hit.token, hit.name, hit.name.person
        token = tokens[j]
        exact = hit.kind == "exact"
        start, end, rule, beside = token.start, token.end, "", -1

        def first_at(k: int, a: int, b: int) -> bool:
            # Exact surnames may be apart from the first name by punctuation, as they always
            # were; a misspelt one only by spaces.
            if not 0 <= k < len(tokens) or not self._is_first(firsts, k, person):
                return False
            return exact or self._spaces(self._gap(text, tokens, a, b))

        if first_at(j - 1, j - 1, j):
            start, rule, beside = tokens[j - 1].start, "full name", j - 1
        elif first_at(j + 1, j, j + 1):
            end, rule, beside = tokens[j + 1].end, "full name", j + 1
        elif j >= 2 and self._is_first(firsts, j - 2, person) and self._bracketed(text, tokens, j):
            start, rule, beside = tokens[j - 2].start, "full name, surname in brackets", j - 2
            end += text[end : end + 1] in self.policy.bracket_close
        elif (
            j >= 2
            and self._is_first(firsts, j - 2, person)
            and self._skipped_bracket(text, tokens, j)
        ):
            start, rule, beside = tokens[j - 2].start, "full name", j - 2
        elif exact and j and self._is_initial(text, tokens[j - 1], person):
            start, rule, beside = tokens[j - 1].start, "initial and surname", j - 1
        elif j and self._is_other_first(firsts, j - 1, person):
            return None  # a namesake: another first name before the surname
        elif self._bracketed(text, tokens, j) and self._is_other_first(firsts, j - 2, person):
            return None  # "Mustafa Kaya (Allalyev)": the other surname of a namesake
        elif not exact:
            return None  # a misspelt surname alone is not enough
        if rule and self._womans_form(tokens, hit, beside):
            return None
        identifies = bool(rule) or name.distinctive
        if not rule:
            rule = "surname (distinctive)" if name.distinctive else "surname"
        parts = [rule]
        if name.alias is not None:
            parts.append(f"alias: {name.alias.name}")
        spelling = self._spelling(token, hit)
        if spelling:
            parts.append(spelling)
        return NameMatch(person, start, end, text[start:end], ", ".join(parts)), identifies

    def _womans_form(self, tokens: list[Token], hit: _Hit, beside: int) -> bool:
        """A man's surname in the feminine form beside his first name or initial names a woman,
        unless the script declines first names and this one is declined too (Азиза Мамедова is
        Aziz Mamedov's genitive; А. Мамедова may be) or the -a is the Turkmen dative (Aziz
        Mämmedowa)."""
        token, first = tokens[hit.token], tokens[beside]
        person = hit.name.person
        if person.gender != "m" or hit.ending not in self._feminine or token.tail is not None:
            return False
        bare = first.stem in self._first_names[person.key] and first.tail is None
        if _script(token.text) in self.policy.declining_scripts:
            return len(first.text) > 1 and bare
        # Latin script declines no first name: "Aziza Mämmedowa" is a woman whatever the -wa.
        return not (bare and self._dative and token.head.lower().endswith(self._dative))

    def _spelling(self, token: Token, hit: _Hit) -> str:
        """How the written surname differs from the closest listed spelling, or "" when it is a
        listed spelling letter for letter (script and Turkmen/Turkish letters aside)."""
        listed = [s for stem, s in hit.name.spellings if stem == hit.stem]
        feminine = hit.name.person.gender == "f"
        written = _written(token.head, hit.written)
        if feminine and hit.ending.startswith("a") and fold(listed[0]).endswith("a"):
            written = _written(token.head, hit.written + "a")  # Taganowa→Tagonowa, as listed
        forms = {
            _letters(s)[:-1] if feminine and _letters(s).endswith("a") else _letters(s)
            for s in listed
        }
        letters = _letters(written)
        if feminine and hit.ending.startswith("a") and letters.endswith("a"):
            letters = letters[:-1]
        if hit.kind == "exact" and letters in forms:
            return ""
        closest = min(listed, key=lambda s: (_distance(s.casefold(), written.casefold()), s))
        if hit.kind == "swap":
            return f"surname letter swap: {closest}→{written}"
        if hit.kind == "edit" or min(_distance(letters, f) for f in forms) <= 1:
            return f"surname one edit: {closest}→{written}"
        return f"surname spelling: {closest}→{written}"
