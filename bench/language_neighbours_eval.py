"""Language identification among the region's neighbours, measured on real translated sentences.

    python bench/language_neighbours_eval.py              # dev and held-out figures
    python bench/language_neighbours_eval.py --split held-out --errors 20
    python bench/language_neighbours_eval.py build --django DJANGO.whl \\
        --gflanguages GFLANGUAGES.whl --debian DIR        # rebuild the sets (see NOTICE)

Azerbaijani, Kazakh, Kyrgyz and Uzbek share letters and words with Turkish, Turkmen and Russian;
a detector that knows only the languages tmwatch tags calls them by the nearest of those. The
sets here are human translations shipped inside packages (software messages, the Universal
Declaration of Human Rights), split by a hash of the text into a development part the rules were
tuned on and a held-out part that is only measured (provenance: bench/data/language_neighbours/
NOTICE). Every sentence (three words and more) is a "title" sample; eight consecutive sentences
of one source make a "long" sample. Cyrillic Turkmen is Latin Turkmen written in the 1940-1993
alphabet (plus the real UDHR sample); its class is learned from development sentences
(config/languages.toml), so its development figures are in-sample and its held-out ones are not.

A sentence of a supported language (``tmwatch.pipeline.language.supported_languages()``) must get
its own code; one of any other language must get its own code or ``und``, never a supported one.
"""

from __future__ import annotations

import argparse
import gettext
import hashlib
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tmwatch.pipeline.language import detect_language, supported_languages

DATA = Path(__file__).with_name("data") / "language_neighbours"
SPLITS = ("dev", "held-out")
LONG_SENTENCES = 8
WATCHED = ("tr", "ru", "tk")
"""The languages tmwatch tags: being wrongly labelled one of these costs the monitors most."""


@dataclass(frozen=True)
class Sample:
    kind: str  # "title" (one sentence) or "long" (eight sentences of one catalogue)
    lang: str
    script: str
    source: str
    text: str

    @property
    def variety(self) -> str:
        """``tk`` for the usual script of a language, ``tk-Cyrl`` for the other one."""
        return (
            self.lang
            if self.script == _USUAL_SCRIPT.get(self.lang, "Latn")
            else (f"{self.lang}-{self.script}")
        )


_USUAL_SCRIPT = {
    "ru": "Cyrl",
    "kk": "Cyrl",
    "ky": "Cyrl",
    "uk": "Cyrl",
    "be": "Cyrl",
    "bg": "Cyrl",
    "tt": "Cyrl",
    "ba": "Cyrl",
    "mk": "Cyrl",
    "sr": "Cyrl",
    "tg": "Cyrl",
    "mn": "Cyrl",
}


def samples(split: str) -> list[Sample]:
    """Every title and long sample of one split, in file order."""
    rows = []
    for line in (DATA / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, script, source, text = line.split("\t")
            rows.append(Sample("title", lang, script, source, text))
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in rows:
        groups[(row.lang, row.script, _catalogue(row.source))].append(row.text)
    longs = []
    for (lang, script, catalogue), texts in groups.items():
        for start in range(0, len(texts) - LONG_SENTENCES + 1, LONG_SENTENCES):
            chunk = "\n".join(texts[start : start + LONG_SENTENCES])
            longs.append(Sample("long", lang, script, catalogue, chunk))
    return rows + longs


def _catalogue(source: str) -> str:
    """The package a sentence came from: long samples never mix two translators' styles."""
    return source.split(":", 1)[0]


Detector = Callable[[str], "str | None"]


def confusion(detect: Detector, split: str) -> dict[tuple[str, str], Counter[str]]:
    """(kind, variety) -> how often each code was answered."""
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for sample in samples(split):
        table[(sample.kind, sample.variety)][detect(sample.text) or "und"] += 1
    return dict(table)


def is_right(variety: str, answer: str) -> bool:
    """A supported language must get its code; any other its own code or ``und``."""
    lang = variety.split("-")[0]
    if lang in supported_languages():
        return answer == lang
    return answer in (lang, "und")


def accuracy(counts: Counter[str], variety: str) -> float:
    return sum(n for code, n in counts.items() if is_right(variety, code)) / sum(counts.values())


def share(counts: Counter[str], codes: tuple[str, ...], variety: str) -> float:
    """Share of answers that are one of ``codes`` other than the sample's own language."""
    own = variety.split("-")[0]
    wrong = sum(n for code, n in counts.items() if code in codes and code != own)
    return wrong / sum(counts.values())


def tmwatch(text: str) -> str | None:
    return detect_language(text).language


def report(split: str, errors: int = 0) -> None:
    table = confusion(tmwatch, split)
    supported = supported_languages()
    print(f"\n== {split} (supported: {', '.join(sorted(supported))}; others: own code or und)")
    print(
        "right: the own code (for another language: own code or und); ->tr ->ru ->tk: share\n"
        "wrongly answered that; ->supported: share wrongly answered any supported code\n"
    )
    print("kind   variety   texts  right  ->tr  ->ru  ->tk  ->supported  most frequent answers")
    for (kind, variety), counts in sorted(table.items(), key=lambda kv: (kv[0][0], _order(kv))):
        total = sum(counts.values())
        print(
            f"{kind:<6} {variety:<9} {total:5d}  {accuracy(counts, variety):5.3f}"
            + "".join(
                f"  {counts[c] / total if c != variety.split('-')[0] else 0:.2f}" for c in WATCHED
            )
            + f"  {share(counts, tuple(supported), variety):11.3f}"
            + "  "
            + " ".join(f"{c}:{n}" for c, n in counts.most_common(4))
        )
    if errors:
        shown = 0
        for sample in samples(split):
            answer = tmwatch(sample.text) or "und"
            if sample.kind == "title" and not is_right(sample.variety, answer):
                print(f"  {sample.variety:>7} -> {answer:<4} {sample.text[:110]}")
                shown += 1
                if shown >= errors:
                    break


def _order(item: tuple[tuple[str, str], Counter[str]]) -> tuple[int, str]:
    variety = item[0][1]
    return (0 if variety.split("-")[0] in supported_languages() else 1, variety)


# --- building the sets from packages ----------------------------------------------------------

BUILT_SUPPORTED = frozenset({"ru", "tk", "tr", "en", "az", "kk", "ky", "uz"})
"""Languages given the larger share when building (the rules may not load before the sample)."""
SUPPORTED_CAP = 250
OTHER_CAP = 60
"""Sentences kept per language, source (Django, Debian) and split: enough to see 1% steps,
small enough to ship."""

DJANGO_LANGS = {
    "tk": "tk",
    "az": "az",
    "kk": "kk",
    "ky": "ky",
    "uz": "uz",
    "tr": "tr",
    "ru": "ru",
    "pl": "pl",
    "es": "es",
    "it": "it",
    "pt": "pt",
    "cs": "cs",
    "uk": "uk",
    "be": "be",
    "bg": "bg",
    "tt": "tt",
    "de": "de",
    "fr": "fr",
}
DEBIAN_LANGS = {**DJANGO_LANGS, "uz@cyrillic": "uz"}
EVALUATED_CATALOGUES = frozenset(
    {
        "gtk20",
        "gtk20-properties",
        "gtk30",
        "gtk30-properties",
        "glib20",
        "caja",
        "gnome-control-center-2.0",
        "mate-desktop",
    }
)
"""Debian catalogues measured on; Turkmen in any other one only feeds the learned class."""
SAMPLES = Path(__file__).resolve().parent.parent / "config" / "language_samples.toml"
UDHR_LANGS = (
    "tk_Latn",
    "tk_Cyrl",
    "az_Latn",
    "kk_Cyrl",
    "ky_Cyrl",
    "uz_Latn",
    "uz_Cyrl",
    "tr_Latn",
    "ru_Cyrl",
    "en_Latn",
    "pl_Latn",
    "es_Latn",
    "it_Latn",
    "uk_Cyrl",
    "be_Cyrl",
    "bg_Cyrl",
    "tt_Cyrl",
    "ba_Cyrl",
    "crh_Latn",
    "gag_Latn",
    "kaa_Cyrl",
    "tg_Cyrl",
    "mn_Cyrl",
    "de_Latn",
    "fr_Latn",
    "pt_Latn",
    "cs_Latn",
)
UDHR_FIELDS = (
    "styles",
    "tester",
    "specimen_48",
    "specimen_36",
    "specimen_32",
    "specimen_21",
    "specimen_16",
)

_PLACEHOLDER = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%\d*\$?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]"
    r"|\{[^{}]*\}|%%"
)
_MARKUP = re.compile(r"<[^>]+>|(?:https?://|www\.)\S+|\S+@\S+|\S*/\S*/\S*")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def clean(message: str) -> str:
    """A translated message as prose: placeholders, markup, paths and accelerators removed."""
    text = _PLACEHOLDER.sub(" ", _MARKUP.sub(" ", message))
    text = text.replace("_", "").replace("&", "").replace("\\n", " ")
    text = re.sub(r"\(\s*\)|“\s*”|\"\s*\"|'\s*'|«\s*»", " ", text)
    return re.sub(r"\s+", " ", text).strip(" -:")


def script_of(text: str) -> str:
    letters = _LETTER.findall(text)
    cyrillic = sum(1 for ch in letters if _CYRILLIC.match(ch))
    return "Cyrl" if cyrillic * 2 > len(letters) else "Latn"


def usable(text: str, source_text: str, script: str, min_words: int = 3) -> bool:
    """Enough letters of the expected script, and not the English message left untranslated.

    Three words make a title; a learned sample also takes two-word messages (more text to
    learn from, and none of them is measured).
    """
    letters = _LETTER.findall(text)
    if len(letters) < 12 + 3 * (min_words > 2) or len(text.split()) < min_words:
        return False
    in_script = sum(1 for ch in letters if bool(_CYRILLIC.match(ch)) == (script == "Cyrl"))
    if in_script < 0.9 * len(letters):
        return False
    english = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", source_text)}
    words = re.findall(r"[^\W\d_]{3,}", text)
    return sum(w.lower() in english for w in words) <= len(words) // 3


def _unquote(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def read_po(text: str) -> Iterator[tuple[str, str]]:
    """(message, first translation) pairs of a gettext catalogue; fuzzy entries are skipped."""
    for entry in re.split(r"\n\s*\n", text):
        if re.search(r"^#,.*\bfuzzy\b", entry, re.M):
            continue
        fields: dict[str, str] = {}
        key = None
        for line in entry.splitlines():
            match = re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d+\])\s+"(.*)"$', line
            )
            if match:
                key = match.group(1).replace("[0]", "")
                fields[key] = _unquote(match.group(2))
            elif key and line.startswith('"') and line.endswith('"'):
                fields[key] += _unquote(line[1:-1])
            elif not line.startswith('"'):
                key = None
        if fields.get("msgid") and fields.get("msgstr"):
            yield fields["msgid"], fields["msgstr"]


def read_mo(path: Path) -> Iterator[tuple[str, str]]:
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for key, value in catalogue._catalog.items():  # type: ignore[attr-defined]
        message = key[0] if isinstance(key, tuple) else key
        if isinstance(key, tuple) and key[1] != 0:
            continue
        if message and value:
            yield message.split("\x04", 1)[-1], value


def _turkmen_cyrillic_word(word: str) -> str:
    """One Latin Turkmen word in the 1940-1993 Cyrillic alphabet.

    Words with letters Turkmen does not use (c q v x: names, software) and acronyms stay Latin,
    as they do in Cyrillic Turkmen print.
    """
    if re.search(r"[cqvxCQVX]", word) or (word.isupper() and len(word) > 1):
        return word
    out = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair.lower() in _TK_PAIRS:
            cyr = _TK_PAIRS[pair.lower()]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        ch = word[i]
        low = ch.lower()
        if low == "e" and (i == 0 or not word[i - 1].isalpha()):
            cyr = "э"
        else:
            cyr = _TK_LETTERS.get(low, low)
        out.append(cyr.upper() if ch.isupper() else cyr)
        i += 1
    return "".join(out)


_TK_LETTERS = dict(
    zip(
        "abçdeäfghijžklmnňoöprsştuüwyýz",
        "абчдеәфгхиҗжклмнңоөпрсштуүвыйз",
        strict=True,
    )
)
_TK_PAIRS = {"ýa": "я", "ýu": "ю", "ýo": "ё", "ýe": "е"}


def turkmen_cyrillic(text: str) -> str:
    """Latin Turkmen written with the standard 1940-1993 Cyrillic correspondence."""
    return re.sub(r"[^\W\d_]+", lambda m: _turkmen_cyrillic_word(m.group(0)), text)


def _split_of(lang: str, text: str) -> str:
    digest = hashlib.sha1(f"{lang}\t{text}".encode()).digest()
    return SPLITS[digest[0] % 2]


def _keep(lang: str, text: str) -> bytes:
    return hashlib.sha1(f"keep\t{lang}\t{text}".encode()).digest()


def build(django: Path, gflanguages: Path, debian: Path) -> None:
    """Write dev.tsv and held-out.tsv from the packages' catalogues (see NOTICE)."""
    found: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)  # text -> source
    learned_pool: dict[str, str] = {}  # development Turkmen, two words and up

    def add(
        lang: str, package: str, member: str, message: str, translation: str, script: str = ""
    ) -> None:
        script = script or _USUAL_SCRIPT.get(lang, "Latn")
        text = clean(translation)
        original = "" if lang == "en" else clean(message)
        if script_of(text) != script:
            return
        if usable(text, original, script):
            found[(lang, script, package)].setdefault(text, f"{package}:{member}")
        if (lang, script) == ("tk", "Latn") and _split_of(lang, text) == "dev":
            if usable(text, original, script, min_words=2):
                learned_pool.setdefault(text, package)

    with zipfile.ZipFile(django) as wheel:
        version = re.search(r"django-([\d.]+)", django.name)
        package = f"django-{version.group(1) if version else '?'}"
        app = re.compile(r"^django/(?:conf|contrib/(\w+))/locale/[^/]+/LC_MESSAGES/(\w+)\.po$")
        for name in sorted(wheel.namelist()):
            match = re.search(r"locale/([^/]+)/LC_MESSAGES/[^/]+\.po$", name)
            if not match:
                continue
            po = wheel.read(name).decode("utf-8")
            parts = app.match(name)
            member = f"{parts.group(1) or 'conf'}/{parts.group(2)}" if parts else name
            for message, translation in read_po(po):
                if match.group(1) in DJANGO_LANGS:
                    add(DJANGO_LANGS[match.group(1)], package, member, message, translation)
                if match.group(1) == "tr":  # the English originals, once
                    add("en", package, member, message, message)
    unseen_turkmen: dict[str, str] = {}
    for mo in sorted(debian.glob("**/usr/share/locale/*/LC_MESSAGES/*.mo")):
        locale = mo.parent.parent.name
        if locale not in DEBIAN_LANGS:
            continue
        if mo.stem not in EVALUATED_CATALOGUES:
            if locale == "tk":
                for message, translation in read_mo(mo):
                    text = clean(translation)
                    if script_of(text) == "Latn" and usable(text, clean(message), "Latn", 2):
                        unseen_turkmen.setdefault(text, mo.stem)
            continue
        for message, translation in read_mo(mo):
            script = "Cyrl" if locale.endswith("@cyrillic") else ""
            add(
                DEBIAN_LANGS[locale],
                "debian-12",
                f"{mo.stem}/{locale}",
                message,
                translation,
                script,
            )
    udhr: list[tuple[str, str, str, str]] = []
    with zipfile.ZipFile(gflanguages) as wheel:
        for variety in UDHR_LANGS:
            proto = wheel.read(f"gflanguages/data/languages/{variety}.textproto").decode()
            lang, script = variety.split("_")
            for field in UDHR_FIELDS:
                match = re.search(rf'^\s*{field}: "(.*)"$', proto, re.M)
                if not match:
                    continue
                for sentence in _unquote(match.group(1)).split("\n"):
                    sentence = sentence.strip()
                    if len(_LETTER.findall(sentence)) >= 12 and len(sentence.split()) >= 3:
                        udhr.append((lang, script, f"gflanguages-udhr:{variety}.{field}", sentence))
    rows: dict[str, list[tuple[str, str, str, str]]] = {split: [] for split in SPLITS}
    for (lang, script, _package), texts in sorted(found.items()):
        cap = SUPPORTED_CAP if lang in BUILT_SUPPORTED else OTHER_CAP
        for split in SPLITS:
            chosen = sorted(
                (t for t in texts if _split_of(lang, t) == split),
                key=lambda t, lang=lang: _keep(lang, t),
            )[:cap]
            chosen.sort(key=lambda t, texts=texts: texts[t])  # catalogue order
            rows[split] += [(lang, script, texts[t], t) for t in chosen]
            if lang == "tk" and script == "Latn":
                rows[split] += [
                    (lang, "Cyrl", f"transliterated:{texts[t]}", turkmen_cyrillic(t))
                    for t in chosen
                ]
    rows["held-out"] += udhr
    measured = {t for (lang, _, _), texts in found.items() if lang == "tk" for t in texts}
    learned = list(learned_pool) + [
        t for t in unseen_turkmen if t not in learned_pool and t not in measured
    ]
    _write_sample(learned, sorted(set(unseen_turkmen.values())), package)
    DATA.mkdir(parents=True, exist_ok=True)
    for split, lines in rows.items():
        header = (
            f"# {split} part of the neighbour-language set: lang<TAB>script<TAB>source<TAB>text.\n"
            "# Real translations from packages; provenance and licences in NOTICE. Generated by\n"
            "# bench/language_neighbours_eval.py build; do not edit by hand.\n"
        )
        body = "".join(
            f"{lang}\t{script}\t{source}\t{text}\n"
            for lang, script, source, text in lines
            if "\t" not in text
        )
        (DATA / f"{split}.tsv").write_text(header + body, encoding="utf-8")
        print(f"{split}: {len(lines)} sentences")


def _write_sample(sentences: list[str], unseen: list[str], django: str) -> None:
    """config/language_samples.toml: the Turkmen the Cyrillic Turkmen class is learned from.

    Only development sentences and catalogues that are not measured at all, so the held-out
    figures stay out of sample.
    """
    sentences = [s for s in sentences if "'''" not in s and not s.endswith("'")]
    header = (
        "# Real text from which tmwatch.pipeline.language learns the classes py3langid lacks\n"
        "# (config/languages.toml, [languages.<code>.learned]): loaded and checked by\n"
        "# tmwatch.config.languages. Generated by `bench/language_neighbours_eval.py build` from\n"
        "# the development part of the neighbour-language set and from catalogues that set does\n"
        "# not measure, never from its held-out part (so held-out figures stay out of sample).\n"
        "#\n"
        "# Turkmen: volunteer translations of software messages: Django's (Copyright the\n"
        "# Django Software Foundation and contributors, BSD-3-Clause) and those of the Debian 12\n"
        "# packages of GTK 2/3, GLib, GNOME Control Center and MATE (Copyright their translators,\n"
        "# GPL-2+ or LGPL-2+ as their debian/copyright files say; used here under the GPL-3 /\n"
        "# AGPL-3 compatibility of those licences).\n\n"
    )
    source = (
        f"{django} locale tk; Debian 12 catalogues "
        f"{', '.join(sorted(EVALUATED_CATALOGUES | set(unseen)))} (tk.mo)"
    )
    body = "\n".join(sentences)
    SAMPLES.write_text(
        f"{header}[tk]\nsource = \"{source}\"\ntext = '''\n{body}\n'''\n", encoding="utf-8"
    )
    print(f"learned sample: {len(sentences)} Turkmen sentences")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    make = sub.add_parser("build", help="rebuild the sets from the packages")
    make.add_argument("--django", type=Path, required=True, help="Django wheel")
    make.add_argument("--gflanguages", type=Path, required=True, help="gflanguages wheel")
    make.add_argument(
        "--debian",
        type=Path,
        required=True,
        help="folder with the Debian packages unpacked (dpkg-deb -x)",
    )
    parser.add_argument("--split", choices=SPLITS, action="append")
    parser.add_argument("--errors", type=int, default=0, help="show this many wrong titles")
    args = parser.parse_args()
    if args.command == "build":
        build(args.django, args.gflanguages, args.debian)
        return
    for split in args.split or SPLITS:
        report(split, args.errors)


if __name__ == "__main__":
    main()
