"""Case files: everything tmwatch knows about watched persons, as an appeal's annex needs it.

An appeal lists, per person, each event with its date, place and footnoted sources. A case file
is that list drawn from the store, with what a monitor needs to check it:

* the person's canonical name and the spellings the watchlist knows (so a reader can search the
  sources) and their current status (``pipeline.cases.Status``: derived from custody events only);
* a chronological **timeline** of merged events (``pipeline.cases.merge_events``): type, date
  with its precision, place; a date the outlets disagree on is flagged with the merge's note,
  never silently settled. Each event has one footnote citing every report of it, earliest
  first, separated by semicolons, as the appeals cite several sources for one statement;
* the **reports** behind each event: article ID, outlet, day, the sentence that states it, and
  the key ``ARTICLE_ID PERSON TYPE`` that ``tmwatch case --dismiss`` takes, because extraction
  makes mistakes and the monitor, not tmwatch, decides what an appeal asserts;
* the person's whole **coverage** (every stored article naming them, newest first), since an
  article may matter without stating an event;
* the user's **corrections** of this person's reports, so a dismissed report is visibly
  dismissed rather than silently missing.

``build_case`` returns a JSON-ready dict (schema: ``case.schema.json``); ``case_markdown`` turns
it into Pandoc Markdown whose ``[^n]`` footnotes become real footnotes in .docx/.odt
(``output.documents``); ``case_html`` into one self-contained page that loads nothing.

Corrections are keyed by the article's stable ``article_key`` (which survives ``reprocess``),
not by the derived event row, and are applied by ``store.events.reports``.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from tmwatch.clock import utc_now
from tmwatch.config.errors import ConfigError
from tmwatch.config.events import EVENT_TYPES
from tmwatch.config.lexicons import Watchlist
from tmwatch.output.citation import as_text, parts
from tmwatch.output.filters import resolve_person
from tmwatch.output.render import clean, md_code, md_escape
from tmwatch.pipeline.cases import CUSTODY, CaseEvent, merge_events, person_statuses
from tmwatch.pipeline.event_dates import publication_day
from tmwatch.pipeline.statuses import announce_status_changes, stored_reports
from tmwatch.record import article_id as id_of_key
from tmwatch.store import Store
from tmwatch.store.archive import ArticleFilter

SCHEMA_PATH = Path(__file__).with_name("case.schema.json")
SCHEMA_VERSION = 1
FORMATS = ("md", "html", "json", "docx", "odt")

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# Pandoc Markdown reads more than CommonMark: $…$ is TeX math, ^…^ superscript, @key a
# citation. A title or sentence holding them must print as written, so they are escaped too.
_PANDOC_SPECIAL = re.compile(r"([$^@])")
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


class CaseError(ValueError):
    """A person, article, report or date the user named does not exist; one line for the CLI."""


# -- persons ----------------------------------------------------------------------------------


def resolve_persons(store: Store, names: list[str], watchlist: Watchlist | None) -> list[str]:
    """Canonical names for what the user typed (any script, any listed spelling), in the order
    given, each once. A name matching nobody in the store, or several people, is a
    ``CaseError``: an annex about the wrong person, or a silently missing one, is worse than
    asking again."""
    result: list[str] = []
    for name in names:
        found = resolve_person(store, name, watchlist)
        if not found:
            stored = store.archive.person_labels()
            listing = ", ".join(stored) if stored else "none yet"
            raise CaseError(
                f"no watched person in the store matches {_one_line(name)!r}; "
                f"watched persons in the store: {listing}"
            )
        if len(found) > 1:
            raise CaseError(
                f"{_one_line(name)!r} matches several watched persons ({', '.join(found)}); "
                "give more of the name"
            )
        if found[0] not in result:
            result.append(found[0])
    return result


def _spellings(canonical: str, watchlist: Watchlist | None) -> dict[str, list[str]]:
    """The watchlist's spellings of a person: first names, surnames and aliases, as listed."""
    person = next((p for p in watchlist.people if p.name == canonical), None) if watchlist else None
    if person is None:
        return {"first": [], "last": [], "aliases": []}
    return {
        "first": list(person.first),
        "last": list(person.last),
        "aliases": [a.name for a in person.aliases],
    }


# -- building ---------------------------------------------------------------------------------


@cache
def _labels() -> dict[str, str]:
    """Event types as people read them ("placed in a deportation centre"), from the lexicon."""
    try:
        from tmwatch.config.events import load_event_lexicon

        return {t.key: t.label for t in load_event_lexicon().types}
    except ConfigError:  # a label is cosmetic: the type itself is shown instead
        return {}


def event_label(kind: str) -> str:
    return _labels().get(kind) or kind.replace("_", " ")


def date_text(value: str | None, precision: str | None = None) -> str:
    """A date as an appeal prints it: 22.10.2021, October 2021, 2021, or "date not stated"."""
    if not value:
        return "date not stated"
    precision = precision or {10: "day", 7: "month", 4: "year"}.get(len(value))
    if precision == "day" and len(value) == 10:
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    if precision == "month" and len(value) >= 7:
        return f"{_MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    return value[:4]


def _source(article: dict[str, Any]) -> dict[str, Any]:
    """What a footnote needs of an article (``citation.parts`` reads exactly these fields)."""
    source = {
        "id": article["id"],
        "url": article["url"],
        "outlet": article["outlet"],
        "language": article.get("language") or None,
        "title": article.get("title") or "",
        "title_en": article.get("title_en") or None,
        "authors": list(article.get("authors") or []),
        "published": article.get("published") or None,
        "published_day": article.get("published_day") or None,
        "status": article.get("status") or "live",
    }
    source["citation"] = as_text(source)
    return source


class _Sources:
    """The articles a case cites, each read once (with its stored English title)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.table: dict[str, dict[str, Any]] = {}

    def get(self, article_id: str) -> dict[str, Any] | None:
        if article_id not in self.table:
            article = self.store.archive.article(article_id)
            if article is None:
                return None
            self.table[article_id] = _source(article)
        return self.table[article_id]


def _sort_key(event: CaseEvent) -> tuple[date, int, str]:
    """Chronological: the event's date (a month or year at its start); an undated event at its
    first report's day, which only places it and is never shown as its date."""
    if event.date:
        value = event.date
        padded = value if len(value) == 10 else value + ("-01" if len(value) == 7 else "-01-01")
        day = date.fromisoformat(padded)
    else:
        days = [d for r in event.reports if (d := publication_day(r.published))]
        day = min(days) if days else date.max
    order = CUSTODY.index(event.type) if event.type in CUSTODY else len(CUSTODY)
    return (day, order, event.type)


def _event(
    event: CaseEvent, sources: _Sources, corrections: dict[tuple[str, str, str], dict[str, Any]]
) -> dict[str, Any]:
    reports = []
    seen: set[str] = set()
    for report in event.reports:  # earliest publication first (merge_events orders them)
        if report.article_id in seen:
            continue
        seen.add(report.article_id)
        source = sources.get(report.article_id)
        correction = corrections.get((report.article_id, event.person, event.type))
        evidence = report.event.evidence
        reports.append(
            {
                "key": {
                    "article_id": report.article_id,
                    "person": event.person,
                    "type": event.type,
                },
                "article_id": report.article_id,
                "outlet": report.outlet,
                "published": _day_of(report.published),
                "date": report.event.date,
                "date_precision": report.event.date_precision,
                "date_basis": report.event.date_basis,
                "place": report.event.place,
                "sentence": _one_line(evidence.sentence),
                "language": source["language"] if source else None,
                "corrected": (
                    {"value": correction["value"], "note": correction["note"] or ""}
                    if correction and correction["action"] == "date"
                    else None
                ),
                "citation": source["citation"] if source else None,
            }
        )
    first = reports[0]["published"] if reports else None
    shown = date_text(event.date, event.date_precision)
    if event.date is None and first:
        shown += f" (first reported {date_text(first, 'day')})"
    return {
        "type": event.type,
        "label": event_label(event.type),
        "date": event.date,
        "date_precision": event.date_precision,
        "date_text": shown,
        "place": event.place,
        "date_conflict": dict(event.date_conflict) if event.date_conflict else None,
        "note": event.note,
        "first_reported": first,
        "outlets": event.outlets,
        "reports": reports,
    }


def build_case(store: Store, persons: list[str], watchlist: Watchlist | None) -> dict[str, Any]:
    """The case file of ``persons`` (canonical names, in this order) as a JSON-ready dict.

    ``sources`` maps every cited article ID to the fields its footnote is made of and the
    footnote itself (``citation``), so every renderer cites exactly the same text.
    """
    persons = list(dict.fromkeys(persons))
    events = merge_events(stored_reports(store, persons))
    statuses = person_statuses(events, persons)
    sources = _Sources(store)
    all_corrections = store.events.corrections()
    cases = []
    for name in persons:
        mine = [c for c in all_corrections if c["person"] == name]
        by_report = {(id_of_key(c["article_key"]), c["person"], c["type"]): c for c in mine}
        timeline = sorted((e for e in events if e.person == name), key=_sort_key)
        coverage = []
        for article in store.archive.articles(ArticleFilter(persons=(name,))):
            source = sources.get(article["id"])
            if source is None:
                continue
            coverage.append(
                {
                    "article_id": source["id"],
                    "published": source["published_day"] or _day_of(source["published"]),
                    "outlet": source["outlet"],
                    "language": source["language"],
                    "title": _one_line(source["title"]),
                    "url": source["url"],
                    "status": source["status"],
                    "citation": source["citation"],
                }
            )
        status = statuses[name]
        cases.append(
            {
                "name": name,
                "spellings": _spellings(name, watchlist),
                "status": {
                    "state": status.state,
                    "description": status.describe(),
                    "since": status.since,
                    "place": status.place,
                    "latest_evidence": status.latest_evidence,
                },
                "events": [_event(e, sources, by_report) for e in timeline],
                "coverage": coverage,
                "corrections": [
                    {
                        "article_id": id_of_key(c["article_key"]),
                        "article_key": c["article_key"],
                        "person": c["person"],
                        "type": c["type"],
                        "action": c["action"],
                        "value": c["value"],
                        "note": c["note"] or "",
                        "at": c["at"],
                        "in_store": sources.get(id_of_key(c["article_key"])) is not None,
                    }
                    for c in mine
                ],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": utc_now(),
        "persons": cases,
        "sources": dict(sorted(sources.table.items())),
    }


def _day_of(published: str | None) -> str | None:
    day = publication_day(published)
    return day.isoformat() if day else None


def _one_line(text: str | None) -> str:
    return " ".join(clean(text).split())


def to_json_text(case: dict[str, Any]) -> str:
    return json.dumps(case, ensure_ascii=False, indent=2) + "\n"


# -- corrections ------------------------------------------------------------------------------


def check_date(value: str) -> str:
    """A corrected date: YYYY-MM-DD, YYYY-MM or YYYY, and a real one (no 2021-02-30)."""
    text = value.strip()
    if not _DATE.match(text):
        raise CaseError(f"{value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    padded = text if len(text) == 10 else text + ("-01" if len(text) == 7 else "-01-01")
    try:
        date.fromisoformat(padded)
    except ValueError:
        raise CaseError(f"{value!r} is not a date on the calendar") from None
    return text


def correct_report(
    store: Store,
    article_id: str,
    person: str,
    type_: str,
    *,
    action: str,
    value: str | None = None,
    note: str = "",
    watchlist: Watchlist | None = None,
) -> dict[str, Any]:
    """Dismiss a report (``action="dismiss"``) or set its date (``"date"``, ``value``), then
    announce any status this changes. Returns what was stored.

    The report must exist (or have been corrected before: a dismissed report is no longer among
    the reports, and setting its date brings it back with that date). ``person`` may be any
    spelling the watchlist knows.
    """
    if action not in ("dismiss", "date"):
        raise CaseError(f"unknown correction {action!r} (use dismiss or date)")
    if type_ not in EVENT_TYPES:
        raise CaseError(f"unknown event type {type_!r}; the types are {', '.join(EVENT_TYPES)}")
    if action == "date":
        if value is None:
            raise CaseError("a date correction needs the date")
        value = check_date(value)
    else:
        value = None
    article = store.archive.article(article_id)
    if article is None:
        raise CaseError(f"unknown article id {_one_line(article_id)!r}")
    canonical = resolve_persons(store, [person], watchlist)[0]
    key = article["article_key"]
    named = list(dict.fromkeys([canonical, *(article.get("persons") or [])]))
    stated = {
        (r["person"], r["type"])
        for r in store.events.reports(named)
        if r["article_id"] == article_id
    }
    corrected = {
        (c["person"], c["type"]) for c in store.events.corrections() if c["article_key"] == key
    }
    if (canonical, type_) not in stated | corrected:
        listing = "; ".join(f"{p} {t}" for p, t in sorted(stated)) or "none"
        raise CaseError(
            f"article {article_id} reports no {type_!r} event of {canonical}; "
            f"its reports: {listing}"
        )
    with store.transaction():
        store.events.correct(key, canonical, type_, action, value, note)
    announce_status_changes(store)
    return {
        "article_id": article_id,
        "article_key": key,
        "person": canonical,
        "type": type_,
        "action": action,
        "value": value,
        "note": note,
    }


def dismiss_command(article_id: str, person: str, type_: str) -> str:
    """The command that dismisses one report, as a case file shows it."""
    quoted = person if re.fullmatch(r"[\w.-]+", person) else f'"{person}"'
    return f"tmwatch case --dismiss {article_id} {quoted} {type_}"


# -- Markdown (Pandoc) ------------------------------------------------------------------------


def pandoc_escape(text: str | None) -> str:
    """``md_escape`` plus what only Pandoc's Markdown would otherwise interpret."""
    return _PANDOC_SPECIAL.sub(r"\\\1", md_escape(text))


def _md_citation(source: dict[str, Any]) -> str:
    """The appeal footnote in Pandoc Markdown (``citation.as_markdown`` with Pandoc's escapes)."""
    p = parts(source)
    head = f"\\[{pandoc_escape(p['bracket'])}\\] " if p["bracket"] else ""
    tail = ", ".join(pandoc_escape(x) for x in (p["author"], p["outlet"], p["date"]) if x)
    url = clean(p["url"] or "").replace(">", "%3E").replace(" ", "%20")
    return f"{head}{pandoc_escape(p['title'])} {tail} <{url}>"


def _status_line(person: dict[str, Any]) -> str:
    status = person["status"]
    latest = status.get("latest_evidence")
    text = status["description"]
    if latest:
        text += f"; latest report {date_text(latest, 'day')}"
    return text


def _spelling_line(spellings: dict[str, list[str]]) -> str | None:
    items = []
    if spellings.get("first"):
        items.append("first names " + ", ".join(spellings["first"]))
    if spellings.get("last"):
        items.append("surnames " + ", ".join(spellings["last"]))
    if spellings.get("aliases"):
        items.append("also reported as " + ", ".join(spellings["aliases"]))
    return "; ".join(items) if items else None


def _event_line(event: dict[str, Any]) -> str:
    """'detained (Migration offices)', without the date, which the caller sets apart."""
    place = f" ({event['place']})" if event.get("place") else ""
    return f"{event['label']}{place}"


def _conflict_line(event: dict[str, Any]) -> str | None:
    if not event.get("note"):
        return None
    return f"the outlets give different dates: {event['note']}"


def _event_sources(event: dict[str, Any], case: dict[str, Any]) -> list[dict[str, Any]]:
    """The articles one event's footnote cites, earliest report first."""
    table = case.get("sources") or {}
    return [table[r["article_id"]] for r in event["reports"] if r["article_id"] in table]


def case_markdown(case: dict[str, Any]) -> str:
    """The case file as Pandoc Markdown: one footnote per event citing all its reports."""
    names = [p["name"] for p in case["persons"]]
    lines = [
        f"# Case file: {pandoc_escape(', '.join(names))}",
        "",
        f"Generated {pandoc_escape(case['generated_at'][:10])} by tmwatch from stored articles. "
        "Each event's footnote cites every report of it, earliest first. A report that is "
        "wrong can be dismissed with the command shown beside it.",
        "",
    ]
    notes: list[str] = []
    for person in case["persons"]:
        lines += [f"## {pandoc_escape(person['name'])}", ""]
        spelled = _spelling_line(person["spellings"])
        if spelled:
            lines += [f"Known spellings: {pandoc_escape(spelled)}.", ""]
        lines += [f"**Status:** {pandoc_escape(_status_line(person))}.", ""]
        lines += ["### Timeline", ""]
        if not person["events"]:
            lines += ["No event of this person is stated in the stored articles.", ""]
        for event in person["events"]:
            cited = _event_sources(event, case)
            mark = ""
            if cited:
                notes.append("; ".join(_md_citation(s) for s in cited))
                mark = f"[^{len(notes)}]"
            line = (
                f"- **{pandoc_escape(event['date_text'])}** — {pandoc_escape(_event_line(event))}"
            )
            conflict = _conflict_line(event)
            if conflict:
                line += f" (**{pandoc_escape(conflict)}**)"
            lines.append(f"{line}.{mark}")
        lines.append("")
        if person["events"]:
            lines += ["### Reports behind each event", ""]
            for event in person["events"]:
                lines.append(
                    f"- **{pandoc_escape(event['date_text'])}**, "
                    f"{pandoc_escape(_event_line(event))}:"
                )
                lines.append("")
                for report in event["reports"]:
                    lines.append(f"    - {_md_report(report)}")
                lines.append("")
        lines += ["### Coverage", ""]
        if not person["coverage"]:
            lines += ["No stored article names this person.", ""]
        for item in person["coverage"]:
            source = case["sources"].get(item["article_id"])
            cited = _md_citation(source) if source else pandoc_escape(item["citation"])
            gone = " (taken down)" if item.get("status") == "taken_down" else ""
            lines.append(f"- {md_code(item['article_id'])}{gone}: {cited}")
        lines.append("")
        if person["corrections"]:
            lines += ["### Corrections", ""]
            for correction in person["corrections"]:
                lines.append(f"- {pandoc_escape(_correction_text(correction))}")
            lines.append("")
    lines += [f"[^{n}]: {text}" for n, text in enumerate(notes, 1)]
    return "\n".join(lines).rstrip() + "\n"


def _report_text(report: dict[str, Any]) -> str:
    day = date_text(report["published"], "day") if report.get("published") else "undated"
    stated = date_text(report.get("date"), report.get("date_precision"))
    corrected = report.get("corrected")
    if corrected:
        note = f": {corrected['note']}" if corrected.get("note") else ""
        stated = f"{stated}, date corrected by the user{note}"
    place = f"; place: {report['place']}" if report.get("place") else ""
    return f"{report['outlet']}, {day} (event date: {stated}{place})"


def _md_report(report: dict[str, Any]) -> str:
    key = report["key"]
    return (
        f"{md_code(report['article_id'])} {pandoc_escape(_report_text(report))}: "
        f"“{pandoc_escape(report['sentence'])}” — dismiss: "
        f"{md_code(dismiss_command(key['article_id'], key['person'], key['type']))}"
    )


def _correction_text(correction: dict[str, Any]) -> str:
    what = (
        "dismissed"
        if correction["action"] == "dismiss"
        else f"date set to {date_text(correction['value'])}"
    )
    note = f" ({correction['note']})" if correction.get("note") else ""
    gone = "" if correction.get("in_store") else " [article no longer in the store]"
    return (
        f"{correction['type'].replace('_', ' ')} report of article {correction['article_id']}: "
        f"{what}{note}, {correction['at'][:10]}{gone}"
    )


# -- HTML -------------------------------------------------------------------------------------

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#111}
h1{font-size:1.5rem;line-height:1.25}h2{border-bottom:1px solid #ccc;margin-top:2rem}
.meta{color:#555;font-size:.9em}.flag{color:#a40;font-weight:bold}
blockquote{margin:.2rem 0 .4rem .5rem;padding-left:.6rem;border-left:3px solid #ddd}
code{font-size:.9em;background:#f2f2f2;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
ol.notes li{margin:.3rem 0}a{overflow-wrap:anywhere}
@media (max-width:30rem){body{padding:.5rem}blockquote{margin-left:0}}
"""


def _h(text: str | None) -> str:
    return html.escape(clean(text), quote=True)


def _lang(language: str | None) -> str:
    return language if language and _LANG_TAG.match(language) else "und"


def _html_citation(source: dict[str, Any]) -> str:
    """The appeal footnote as HTML; the original title carries its language."""
    p = parts(source)
    head = f"[{_h(p['bracket'])}] " if p["bracket"] else ""
    tail = ", ".join(_h(x) for x in (p["author"], p["outlet"], p["date"]) if x)
    url = p["url"] or ""
    return (
        f'{head}<span lang="{_h(_lang(source.get("language")))}">{_h(p["title"])}</span> '
        f'{tail} <a href="{_h(url)}" rel="noreferrer noopener">{_h(url)}</a>'
    )


def case_html(case: dict[str, Any]) -> str:
    """The case file as one self-contained page: opening it loads nothing from anywhere, so
    nobody watching the network learns that a monitor is reading about these people."""
    names = ", ".join(p["name"] for p in case["persons"])
    title = f"Case file: {names}"
    sources = case.get("sources") or {}
    notes: list[str] = []
    body = [
        f"<header><h1>{_h(title)}</h1>",
        f'<p class="meta">Generated {_h(case["generated_at"][:10])} by tmwatch from stored '
        "articles. Each event's footnote cites every report of it, earliest first.</p></header>",
        "<main>",
    ]
    for index, person in enumerate(case["persons"], 1):
        anchor = f"person-{index}"
        body.append(f'<section id="{anchor}"><h2>{_h(person["name"])}</h2>')
        spelled = _spelling_line(person["spellings"])
        if spelled:
            body.append(f'<p class="meta">Known spellings: {_h(spelled)}.</p>')
        body.append(f"<p><b>Status:</b> {_h(_status_line(person))}.</p>")
        body.append("<h3>Timeline</h3>")
        if not person["events"]:
            body.append("<p>No event of this person is stated in the stored articles.</p>")
        else:
            items = []
            for event in person["events"]:
                cited = _event_sources(event, case)
                mark = ""
                if cited:
                    notes.append("; ".join(_html_citation(s) for s in cited))
                    n = len(notes)
                    mark = f'<sup id="fnref-{n}"><a href="#fn-{n}" role="doc-noteref">{n}</a></sup>'
                conflict = _conflict_line(event)
                flag = f' <span class="flag">({_h(conflict)})</span>' if conflict else ""
                items.append(
                    f"<li><b>{_h(event['date_text'])}</b> — {_h(_event_line(event))}{flag}."
                    f"{mark}</li>"
                )
            body.append("<ul>" + "".join(items) + "</ul>")
            body.append("<h3>Reports behind each event</h3><ul>")
            for event in person["events"]:
                reports = "".join(_html_report(r) for r in event["reports"])
                body.append(
                    f"<li><b>{_h(event['date_text'])}</b>, {_h(_event_line(event))}:"
                    f"<ul>{reports}</ul></li>"
                )
            body.append("</ul>")
        body.append("<h3>Coverage</h3>")
        if not person["coverage"]:
            body.append("<p>No stored article names this person.</p>")
        else:
            rows = []
            for item in person["coverage"]:
                source = sources.get(item["article_id"])
                cited = _html_citation(source) if source else _h(item["citation"])
                gone = (
                    ' <span class="flag">taken down</span>'
                    if item["status"] == "taken_down"
                    else ""
                )
                rows.append(f"<li><code>{_h(item['article_id'])}</code>{gone}: {cited}</li>")
            body.append("<ul>" + "".join(rows) + "</ul>")
        if person["corrections"]:
            body.append(
                "<h3>Corrections</h3><ul>"
                + "".join(f"<li>{_h(_correction_text(c))}</li>" for c in person["corrections"])
                + "</ul>"
            )
        body.append("</section>")
    body.append("</main>")
    if notes:
        body.append(
            '<section id="footnotes" role="doc-endnotes"><h2>Notes</h2><ol class="notes">'
            + "".join(
                f'<li id="fn-{n}">{text} <a href="#fnref-{n}" role="doc-backlink" '
                f'aria-label="Back to note {n}">↩</a></li>'
                for n, text in enumerate(notes, 1)
            )
            + "</ol></section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing may load from anywhere: no scripts, no remote styles, fonts or images.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'\">"
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_h(title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _html_report(report: dict[str, Any]) -> str:
    key = report["key"]
    command = dismiss_command(key["article_id"], key["person"], key["type"])
    return (
        f"<li><code>{_h(report['article_id'])}</code> {_h(_report_text(report))}"
        f'<blockquote lang="{_h(_lang(report.get("language")))}">{_h(report["sentence"])}'
        f'</blockquote><span class="meta">dismiss: <code>{_h(command)}</code></span></li>'
    )
