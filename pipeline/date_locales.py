"""htmldate's date parser, limited to the languages tmwatch's language rules name.

htmldate hands dateparser the dates in words that its own patterns cannot read (Russian month
names among them), through one ``DateDataParser`` built with every one of dateparser's 205
locales. A date line that no locale reads whole ("Опубликовано 22 октября 2021 года") makes it
compile the expressions of all 205 before it gives up: 3.8 s on the first such line of every
process, a crawl worker's too. Limited to the languages of ``config/languages.toml`` that
dateparser knows (34 of them: every language tmwatch detects, supported or not), the same first
line costs 0.8 s and every later one less.

A language added to the language rules is added here with it: the list is data, not code.
htmldate's parser is replaced by this one through its module's name lookup (``install``), the
one seam htmldate has: it calls ``get_external_parser()`` from the module each time.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import htmldate.extractors

from tmwatch.pipeline.language import rules

# htmldate 1.9-1.11's settings for its external parser, kept as they are.
_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


def languages() -> list[str]:
    """The language rules' codes that dateparser has data for, in the rules' order."""
    from dateparser.languages.loader import default_loader

    known = set(default_loader.get_locale_map())
    return [lang.code for lang in rules().languages if lang.code in known]


@cache
def external_parser() -> Any:
    """The ``DateDataParser`` htmldate uses, for ``languages()`` only (built once, lazily)."""
    from dateparser import DateDataParser

    return DateDataParser(languages=languages(), settings=_SETTINGS)


def install() -> None:
    """Make htmldate use ``external_parser``."""
    htmldate.extractors.get_external_parser = external_parser
