"""htmldate's dateparser reads dates in the language rules' languages (pipeline.date_locales)."""

from __future__ import annotations

import htmldate.extractors
from htmldate import find_date

import tmwatch.pipeline.extract  # noqa: F401  (installs the parser, as every crawl does)
from tmwatch.pipeline import date_locales
from tmwatch.pipeline.language import rules


def test_htmldate_uses_the_parser_of_the_rules_languages() -> None:
    assert htmldate.extractors.get_external_parser is date_locales.external_parser
    codes = [lang.code for lang in rules().languages]
    chosen = date_locales.languages()
    assert {"ru", "tr", "en", "kk", "uz"} <= set(chosen) <= set(codes)
    assert "tk" not in chosen and "ja" not in chosen  # dateparser has no Turkmen; no rule: ja
    assert chosen == [code for code in codes if code in chosen]  # in the rules' order
    parser = date_locales.external_parser()
    assert parser is date_locales.external_parser()  # built once
    assert sorted(parser._settings.__dict__.get("PARSERS", [])) == [
        "absolute-time",
        "custom-formats",
    ]


def test_dates_in_words_still_reach_the_page() -> None:
    """Dates htmldate's own patterns leave to dateparser: Russian and Turkish month names."""
    page = '<html><body><div class="date">{}</div><p>Текст статьи.</p></body></html>'
    assert find_date(page.format("22 октября 2021"), extensive_search=True) == "2021-10-22"
    assert find_date(page.format("19 Ekim 2021 Salı"), extensive_search=True) == "2021-10-19"
    parsed = date_locales.external_parser().get_date_data("22 октября 2021 года")
    assert parsed["date_obj"] is not None and parsed["date_obj"].date().isoformat() == "2021-10-22"
