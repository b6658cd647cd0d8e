"""The interface's messages, for translators: ``python -m tmwatch.web.catalogs``.

``extract()`` reads every ``_()`` / ``gettext_()`` call in the web package's Python and every
``_()`` / ``ngettext()`` in its templates. ``python -m tmwatch.web.catalogs update CODE [DIR]``
creates or updates ``DIR/CODE/LC_MESSAGES/messages.po`` (DIR defaults to this package's
``locale``): new messages are added empty, translated ones kept, vanished ones dropped. A
translator then fills the ``msgstr`` lines; ``tmwatch serve`` reads the file at start-up.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from tmwatch.web.i18n import LOCALE_DIR

PACKAGE = Path(__file__).parent
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "gettext_": None, "ngettext": (1, 2), "ngettext_": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="tmwatch", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update(code: str, directory: Path = LOCALE_DIR) -> Path:
    path = directory / code / "LC_MESSAGES" / "messages.po"
    template = extract()
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=code, project="tmwatch", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return path


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or argv[0] != "update":
        print("usage: python -m tmwatch.web.catalogs update CODE [DIR]", file=sys.stderr)
        return 2
    target = Path(argv[2]) if len(argv) == 3 else LOCALE_DIR
    print(update(argv[1], target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
