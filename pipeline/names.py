"""Finding watched people in any script and inflection.

Every spelling is folded to a script-independent skeleton: Cyrillic is transliterated, Turkmen and
Turkish letters are reduced (ä->a, ň->n, ý/ı/ы->y, w->v, kh->h), doubled letters collapse and a
y between vowels drops (Аннаев = Annayev = Annaýew -> "anaev"). A word matches a surname when its
skeleton is the surname's stem followed by a Russian case ending, a Turkmen suffix, or (after an
apostrophe) a Turkish or English suffix: Тагановой, Taganowanyň, Taganova'nın, Rakhmanov's.

A common surname alone never identifies a person, nor does a surname after a different first name
(a namesake); a full name, an initial and surname, or a surname the watchlist marks distinctive
does. Once a person is identified in a text, later surname-only mentions are attributed too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tmwatch.config.lexicons import Person
from tmwatch.folding import WORD, fold

# Endings a name can carry, written as in the text and folded like names.
_RU = ["", "а", "у", "ым", "ом", "е", "ы", "ых", "ыми", "ой", "ою", "ую", "ым", "ым", "им"]
_TK_AFTER_CONSONANT = [
    "",
    "yň",
    "iň",
    "y",
    "i",
    "a",
    "e",
    "da",
    "de",
    "dan",
    "den",
    "lar",
    "ler",
    "yny",
    "ynyň",
    "yna",
    "ynda",
    "yndan",
    "daky",
    "dy",
    "dyr",
]
_TK_AFTER_VOWEL = [
    "",
    "nyň",
    "niň",
    "ny",
    "ni",
    "na",
    "ne",
    "da",
    "de",
    "dan",
    "den",
    "ň",
    "lar",
    "ler",
    "dy",
    "dyr",
]
_AFTER_APOSTROPHE = [
    "un",
    "ün",
    "ın",
    "in",
    "nın",
    "nin",
    "nun",
    "nün",
    "a",
    "e",
    "ya",
    "ye",
    "ı",
    "i",
    "yı",
    "yi",
    "u",
    "ü",
    "yu",
    "yü",
    "da",
    "de",
    "ta",
    "te",
    "dan",
    "den",
    "tan",
    "ten",
    "la",
    "le",
    "yla",
    "yle",
    "lar",
    "ler",
    "s",
    "nyň",
    "yň",
]
# First names of people who are not on the watchlist: a surname right after one is a namesake.
COMMON_FIRST_NAMES = (
    "Rustam Рустам Ruslan Руслан Murad Murat Мурад Serdar Сердар Dovlet Döwlet Довлет "
    "Batyr Батыр Gurban Гурбан Guwanch Guwanç Гуванч Maksat Максат Myrat Мырат Nury Нуры "
    "Atamurat Атамурат Begench Begenç Бегенч Shatlyk Şatlyk Шатлык Yusup Ýusup Юсуп "
    "Aleksandr Александр Sergey Сергей Dmitry Dmitriy Дмитрий Ivan Иван Andrey Андрей "
    "Mehmet Mehmed Мехмет Mustafa Мустафа Ali Али Hasan Hassan Хасан Huseyin Hüseyin Omer "
    "Ömer Yusuf Ibrahim İbrahim Ибрагим Emre Burak Kemal Кемаль Orhan Murod Jamal Джамал "
    "Gulnara Гульнара Ogulgerek Ogulgerek Aýna Aina Айна Maya Maýa Мая Jennet Дженнет "
    "Leyla Leýla Лейла Anna Анна Olga Ольга Elena Елена Ayşe Ayse Fatma Zeynep Elif Merve "
    "Gulshat Gülşat Гульшат Selbi Сельби Ogulnabat Огулнабат Bahar Бахар Ahmed"
).split()


@lru_cache(maxsize=1)
def _endings() -> tuple[frozenset[str], frozenset[str]]:
    plain = {fold(e) for e in _RU} | {fold(e) for e in _TK_AFTER_CONSONANT}
    plain |= {fold("a" + e) for e in _TK_AFTER_VOWEL}
    apostrophe = {fold(e) for e in _AFTER_APOSTROPHE}
    return frozenset(plain), frozenset(apostrophe)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    stem: str  # skeleton of the part before any apostrophe
    tail: str | None  # skeleton of the part after an apostrophe, if any


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in WORD.finditer(text):
        raw = match.group(0)
        head, sep, tail = raw.replace("’", "'").partition("'")
        tokens.append(
            Token(match.start(), match.end(), raw, fold(head), fold(tail) if sep else None)
        )
    return tokens


def _matches(token: Token, stems: frozenset[str]) -> bool:
    plain, after_apostrophe = _endings()
    if token.tail is not None and token.tail not in after_apostrophe:
        return False
    for stem in stems:
        if token.stem.startswith(stem) and token.stem[len(stem) :] in plain:
            return True
    return False


def _surname_stem(spelling: str, gender: str) -> str:
    folded = fold(spelling)
    if gender == "f" and folded.endswith("a"):
        return folded[:-1]  # Taganova -> taganov: the feminine -a is one of the endings
    return folded


@dataclass(frozen=True)
class NameMatch:
    person: Person
    start: int
    end: int
    text: str
    variant: str  # "full name", "initial and surname", "surname (distinctive)", "surname"


class PersonMatcher:
    """Finds the watchlist's people in a text; built once per watchlist."""

    def __init__(self, people: tuple[Person, ...]) -> None:
        self.people = people
        self._last = {p.key: frozenset(_surname_stem(s, p.gender) for s in p.last) for p in people}
        self._first = {p.key: frozenset(fold(s) for s in p.first) for p in people}
        self._initials = {p.key: frozenset(s[0] for s in self._first[p.key]) for p in people}
        common = frozenset(fold(n) for n in COMMON_FIRST_NAMES)
        # First names that, before a surname, mean somebody else of that name (a namesake).
        self._other_first = {
            p.key: (common | frozenset().union(*(f for k, f in self._first.items() if k != p.key)))
            - self._first[p.key]
            for p in people
        }

    def _is_first(self, token: Token, key: str) -> bool:
        return _matches(token, self._first[key])

    def _is_initial(self, text: str, token: Token, key: str) -> bool:
        return (
            len(token.text) == 1
            and text[token.end : token.end + 1] == "."
            and token.stem[:1] in self._initials[key]
        )

    def _is_other_first(self, token: Token, key: str) -> bool:
        return not self._is_first(token, key) and _matches(token, self._other_first[key])

    def find(self, text: str) -> list[NameMatch]:
        tokens = tokenize(text)
        found: list[NameMatch] = []
        pending: list[NameMatch] = []  # common surnames alone: kept if the person is identified
        identified: set[str] = set()
        for i, token in enumerate(tokens):
            for person in self.people:
                if not _matches(token, self._last[person.key]):
                    continue
                prev = tokens[i - 1] if i else None
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                start, variant = token.start, None
                if prev and self._is_first(prev, person.key):
                    start, variant = prev.start, "full name"
                elif prev and self._is_initial(text, prev, person.key):
                    start, variant = prev.start, "initial and surname"
                elif nxt and self._is_first(nxt, person.key):
                    variant = "full name"
                    match = NameMatch(
                        person, token.start, nxt.end, text[token.start : nxt.end], variant
                    )
                    found.append(match)
                    identified.add(person.key)
                    continue
                elif prev and self._is_other_first(prev, person.key):
                    continue  # a namesake: another first name before the surname
                if variant:
                    identified.add(person.key)
                    found.append(
                        NameMatch(person, start, token.end, text[start : token.end], variant)
                    )
                elif person.distinctive:
                    identified.add(person.key)
                    found.append(
                        NameMatch(
                            person, token.start, token.end, token.text, "surname (distinctive)"
                        )
                    )
                else:
                    pending.append(NameMatch(person, token.start, token.end, token.text, "surname"))
        found += [m for m in pending if m.person.key in identified]
        return sorted(found, key=lambda m: (m.start, m.person.key))
