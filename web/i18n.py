"""The interface's languages: gettext catalogs read with Babel, one per language directory.

``web/locale/<code>/LC_MESSAGES/messages.po`` is all a translator adds: the catalogs are read
at start-up (no compile step), and the language switch lists every one found. English is the
source language. A request's language comes from ``?lang=`` (remembered in a cookie), else the
cookie, else the browser's Accept-Language.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
COOKIE = "lang"

_SOURCE = gettext.NullTranslations()
_current: ContextVar[gettext.NullTranslations | None] = ContextVar(
    "tmwatch_translations", default=None
)


class Catalogs:
    """Every catalog under ``directory``, compiled in memory once."""

    def __init__(self, directory: Path = LOCALE_DIR) -> None:
        self.translations: dict[str, gettext.NullTranslations] = {
            SOURCE_LANGUAGE: gettext.NullTranslations()
        }
        for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
            code = po.parent.parent.name
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=code)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            self.translations[code] = Translations(buffer)

    @property
    def languages(self) -> list[str]:
        return sorted(self.translations)

    def names(self) -> dict[str, str]:
        """Each language in its own words, for the switch."""
        return {
            code: Locale.parse(code).get_display_name(code).capitalize() for code in self.languages
        }

    def choose(self, wanted: str | None, cookie: str | None, accept: str | None) -> str:
        for code in (wanted, cookie):
            if code in self.translations:
                return code
        preferred = [
            part.split(";")[0].strip().replace("-", "_")
            for part in (accept or "").split(",")
            if part.strip()
        ]
        found = negotiate_locale(preferred, self.languages) if preferred else None
        if found is None and preferred:
            short = [p.split("_")[0] for p in preferred]
            found = next((c for c in short if c in self.translations), None)
        return found or SOURCE_LANGUAGE

    def activate(self, code: str) -> None:
        _current.set(self.translations.get(code, self.translations[SOURCE_LANGUAGE]))


def gettext_(message: str) -> str:
    """The current request's translation of ``message`` (also usable outside templates)."""
    return (_current.get() or _SOURCE).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return (_current.get() or _SOURCE).ngettext(singular, plural, n)
