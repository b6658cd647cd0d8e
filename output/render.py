"""Markdown, HTML and Atom renderings of a digest.

Articles are grouped by topic (the most specific first), then by watched person (an article is
listed under every watched person it names, so whoever follows one person sees every article
about them), then by story cluster (one entry per cluster with "also at" links). Each entry shows
the article's ID, which ``tmwatch cite`` takes. Evidence sentences are shown with the matched
words highlighted. Every failure of the last crawl is listed: a monitor must know which outlets
may be missing articles.

All article-supplied text is escaped for its format: HTML entities in HTML, Markdown punctuation
in Markdown, XML via ElementTree in Atom; control characters, bidi overrides and characters XML
cannot carry are removed first. The HTML file is self-contained: inline CSS only, a Content
Security Policy that forbids every remote load, and links with rel="noreferrer noopener".
"""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tmwatch.days import article_day

TOPIC_ORDER = ("turkmen-detention-turkey", "detention")
TOPIC_LABELS = {
    "turkmen-detention-turkey": "Turkmen nationals detained in or deported from Turkey",
    "detention": "Other detentions and deportations",
    "_persons": "Watched people, no detention reported",
    "_other": "Other articles",
}
NO_PERSON_LABEL = "No watched person named"
"""Heading for a topic's articles that name nobody watched, so they never sit under a person."""

# C0/C1 controls (except tab and newline), bidi marks/embeddings/overrides/isolates, BOM, and
# what XML 1.0 cannot carry (lone surrogates, U+FFFE, U+FFFF).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff"
    "\ud800-\udfff\ufffe\uffff]"
)
# Inline Markdown syntax; line-start syntax (#, -, >) cannot occur: every line has a prefix.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")

Groups = list[tuple[str, list[tuple[str, list[list[dict[str, Any]]]]]]]


def clean(text: str | None) -> str:
    """Text with control characters and bidi overrides removed (they can disguise content)."""
    return _UNSAFE.sub("", text or "")


def group(articles: list[dict[str, Any]]) -> Groups:
    """[(topic, [(person, [cluster members])])].

    An article sits under its most specific topic and under every watched person it names: a
    monitor reading one person's section must not miss an article because another watched
    name sorts first. Articles naming nobody go under person ``""``, rendered with their own
    heading. Within one person's heading a cluster is one entry.
    """
    sections: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    for article in articles:
        tags = article.get("tags") or []
        persons = list(dict.fromkeys(p for p in article.get("persons") or [] if p))
        topic = next((t for t in TOPIC_ORDER if t in tags), None)
        topic = topic or (tags[0] if tags else None)
        topic = topic or ("_persons" if persons else "_other")
        cluster = article.get("cluster") or article["id"]
        for person in persons or [""]:
            sections.setdefault(topic, {}).setdefault(person, {}).setdefault(cluster, []).append(
                article
            )
    order = [
        *TOPIC_ORDER,
        *sorted(t for t in sections if t not in TOPIC_ORDER and not t.startswith("_")),
        "_persons",
        "_other",
    ]
    result = []
    for topic in order:
        if topic in sections:
            people = sorted(sections[topic].items(), key=lambda kv: (kv[0] == "", kv[0]))
            result.append((topic, [(p, list(c.values())) for p, c in people]))
    return result


def _person_heading(person: str, people: list[tuple[str, Any]]) -> str | None:
    """The heading over one person's entries; articles naming nobody get one too when the
    topic has named people, or they would read as belonging to the last person above them."""
    if person:
        return person
    return NO_PERSON_LABEL if any(p for p, _ in people) else None


def _spans(item: dict[str, Any]) -> list[tuple[int, int]]:
    if "matches" in item:
        return [(m["start"] - item["start"], m["end"] - item["start"]) for m in item["matches"]]
    spans = []
    sentence = item["sentence"]
    for term in item.get("terms", []):
        for match in re.finditer(re.escape(term), sentence):
            spans.append((match.start(), match.end()))
    return sorted(set(spans))


def _highlight(sentence: str, spans: list[tuple[int, int]], mark: Any, plain: Any) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(plain(sentence[pos:start]))
        out.append(mark(sentence[start:end]))
        pos = end
    out.append(plain(sentence[pos:]))
    return "".join(out)


def _evidence(article: dict[str, Any], limit: int = 3, person: str = "") -> list[dict[str, Any]]:
    """Topic sentences first, then those naming ``person`` (the heading the entry is under)."""
    seen, chosen = set(), []
    for item in sorted(
        article.get("evidence") or [],
        key=lambda e: (
            e["kind"] != "topic",
            not (person and e["kind"] == "person" and e["label"] == person),
            e["start"],
        ),
    ):
        if item["sentence"] not in seen:  # one sentence once, whichever tags it proves
            seen.add(item["sentence"])
            chosen.append(item)
    return chosen[:limit]


def _topic_title(topic: str) -> str:
    return TOPIC_LABELS.get(topic, topic)


def _lang(article: dict[str, Any]) -> str:
    """The article's language as a lang attribute value; "" (unknown) if missing or odd."""
    value = article.get("language") or ""
    return value if _LANG_TAG.fullmatch(value) else ""


def _also(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The other places a story ran: cluster members listed here, then the digest's also_at."""
    main, others = members[0], members[1:]
    known = {m["id"] for m in members}
    return [*others, *[a for a in main.get("also_at") or [] if a.get("id") not in known]]


def _source_state(info: dict[str, Any]) -> str:
    """A source's state; an "ok" with failures (digests before "partial" existed) is partial."""
    state = str(info.get("state") or "unknown")
    return "partial" if state == "ok" and info.get("problems") else state


def _flags_text(info: dict[str, Any]) -> str:
    """A source's health flags ("silent, layout-changed"); "" when none or an older digest."""
    return ", ".join(str(f) for f in info.get("flags") or [])


def _troubled(sources: dict[str, Any]) -> dict[str, Any]:
    """Sources worth a line under Problems: failures, a state other than ok, or a flag."""
    return {
        k: v
        for k, v in sources.items()
        if v.get("problems") or _source_state(v) != "ok" or v.get("flags")
    }


def _undelivered_line(message: dict[str, Any]) -> tuple[str, str, str]:
    """A dead letter in three parts: who and what, the attempts, the last error."""
    who = (
        f"#{message.get('id', '?')} to {message.get('subscription') or '?'} "
        f"({message.get('kind') or '?'} by {message.get('channel') or '?'}): "
        f"{message.get('summary') or ''}"
    )
    since = message.get("first_failure_at")
    attempts = f"{message.get('attempts', 0)} attempts" + (
        f", failing since {_utc_text(since)}" if since else ""
    )
    return who, attempts, str(message.get("last_error") or "no error recorded")


# -- what the digest holds ------------------------------------------------------------------------


def _selection_text(digest: dict[str, Any]) -> str:
    selection = digest.get("selection") or {}
    if "all" in selection:
        return "all articles"
    if "published_on" in selection:
        return str(selection["published_on"])
    since, until = selection.get("published_since"), selection.get("published_until")
    if since and until:
        return f"published {since} to {until}"
    if since:
        return f"published since {since}"
    if until:
        return f"published until {until}"
    if "first_seen_within" in selection:
        return f"first seen in the last {selection['first_seen_within']}"
    if "new_since_mark" in selection:
        return f"new since the {selection['new_since_mark']} mark"
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in selection.items()) or "articles"


def _filter_texts(filters: dict[str, Any] | None) -> list[str]:
    """The filters a digest or feed was narrowed by, as title parts (people, then the tag)."""
    filters = filters or {}
    parts = []
    persons = [p for p in filters.get("persons") or [] if p]
    if persons:
        parts.append(", ".join(persons))
    if filters.get("tag"):
        parts.append(f"tag {filters['tag']}")
    return parts


def describe(digest: dict[str, Any]) -> str:
    """What a digest selected, for its title: the dates (or all), then its filters."""
    return " — ".join([_selection_text(digest), *_filter_texts(digest.get("filters"))])


def _utc_text(value: str | None) -> str:
    """An instant as "2026-11-29 06:00 UTC"; unparsable or zone-less values as given."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return value or "?"
    if moment.tzinfo is None:
        return value or "?"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _mark_sentence(
    digest: dict[str, Any], code: Callable[[str], str], esc: Callable[[str], str]
) -> str:
    """What "new" means in this digest: since which mark (or earlier digest), or everything."""
    if "mark" in digest:
        mark = digest["mark"]
        if mark:
            return (
                f"new since the {code(str(mark.get('name') or '?'))} mark of "
                f"{esc(_utc_text(mark.get('at')))}"
            )
        name = (digest.get("selection") or {}).get("new_since_mark") or digest.get("mark_name")
        if name:
            return f"no earlier {code(str(name))} digest: everything is new"
        return "no earlier digest: everything is new"
    if digest.get("previous_digest_at"):
        return f"new since the previous digest of {esc(_utc_text(digest['previous_digest_at']))}"
    return "no earlier digest: everything is new"


def _summary_line(
    digest: dict[str, Any], code: Callable[[str], str], esc: Callable[[str], str]
) -> str:
    articles = digest.get("articles") or []
    count = digest.get("count", len(articles))
    new = sum(1 for a in articles if a.get("new"))
    return (
        f"Generated {esc(_utc_text(digest.get('generated_at')))}; "
        f"{count} article{'' if count == 1 else 's'}, {new} new; "
        f"{_mark_sentence(digest, code, esc)}."
    )


# -- Markdown -------------------------------------------------------------------------------------


def md_escape(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(text).replace("\n", " "))


def md_code(text: str | None) -> str:
    """Inline code that shows ``text`` verbatim (IDs, failure messages), backticks included."""
    value = clean(text).replace("\n", " ")
    fence = "`" * (max((len(r) for r in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith(("`", " ")) or value.endswith(("`", " ")) else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_link(text: str, url: str) -> str:
    safe_url = clean(url).replace(" ", "%20").replace(")", "%29").replace("(", "%28")
    return f"[{md_escape(text)}](<{safe_url.replace('>', '%3E')}>)"


def to_markdown(digest: dict[str, Any]) -> str:
    """The digest as Markdown, for e-mail and chat: plain text that still reads as a document."""
    lines = [
        f"# tmwatch digest — {md_escape(describe(digest))}",
        "",
        _summary_line(digest, md_code, md_escape),
        "",
    ]
    changes = digest.get("status_changes") or []
    if changes:
        lines += ["## Status changes", ""]
        lines += [f"- {md_escape(_status_line(c))}" for c in changes]
        lines.append("")
    counts = digest.get("counts") or {}
    lines += ["## Counts", "", "| outlet | articles |", "|---|---:|"]
    lines += [f"| {md_escape(k)} | {v} |" for k, v in (counts.get("outlet") or {}).items()]
    lines += ["", "| language | articles |", "|---|---:|"]
    lines += [f"| {md_escape(k)} | {v} |" for k, v in (counts.get("language") or {}).items()]
    lines += ["", *_md_sources(digest), *_md_undelivered(digest)]
    for topic, people in group(digest.get("articles") or []):
        lines += [f"## {md_escape(_topic_title(topic))}", ""]
        for person, clusters in people:
            heading = _person_heading(person, people)
            if heading:
                lines += [f"### {md_escape(heading)}", ""]
            for members in clusters:
                lines += _md_entry(members, person)
    return "\n".join(lines).rstrip() + "\n"


def _md_sources(digest: dict[str, Any]) -> list[str]:
    """Every source's state, then every failure message of the last crawl, source by source."""
    sources = digest.get("sources") or {}
    if not sources:
        return []
    lines = [
        "## Sources",
        "",
        "| source | state | new | problems | flags |",
        "|---|---|---:|---:|---|",
    ]
    for key, info in sources.items():
        lines.append(
            f"| {md_escape(key)} | {md_escape(_source_state(info))} | {info.get('new', 0)} "
            f"| {len(info.get('problems') or [])} | {md_escape(_flags_text(info))} |"
        )
    lines.append("")
    troubled = _troubled(sources)
    if troubled:
        lines += ["### Problems", ""]
        for key, info in troubled.items():
            problems = info.get("problems") or []
            flags = _flags_text(info)
            lines.append(
                f"- **{md_escape(key)}** ({md_escape(_source_state(info))})"
                + (f" — flags: {md_escape(flags)}" if flags else "")
                + (":" if problems else ": no failure recorded")
            )
            lines += [f"  - {md_escape(problem)}" for problem in problems]
        lines.append("")
    return lines


def _md_undelivered(digest: dict[str, Any]) -> list[str]:
    """Dead letters: messages to subscribers given up on. Never silently dropped."""
    messages = digest.get("undelivered") or []
    if not messages:
        return []
    lines = [
        "## Undelivered messages",
        "",
        "These messages to subscribers failed too often and were given up on "
        "(`tmwatch health` lists them too):",
        "",
    ]
    for message in messages:
        who, attempts, error = _undelivered_line(message)
        lines.append(f"- {md_escape(who)} — {md_escape(attempts)}; last error: {md_code(error)}")
    return [*lines, ""]


def _md_entry(members: list[dict[str, Any]], person: str = "") -> list[str]:
    main = members[0]
    flags = " ".join(
        f
        for f, on in (
            ("**NEW**", main.get("new")),
            ("*edited*", main.get("edited")),
            ("*taken down*", main.get("status") == "taken_down"),
        )
        if on
    )
    date_text = _day_text(main)
    lines = [
        f"- {flags + ' ' if flags else ''}{_md_link(main['title'], main['url'])} — "
        f"{md_escape(main['outlet'])}, {md_escape(date_text)} "
        f"({md_escape(main.get('language') or '?')}) · {md_code(main['id'])}"
    ]
    also = _also(members)
    if also:
        lines.append(
            "  - also at: "
            + ", ".join(
                f"{_md_link(a['outlet'], a['url'])} {md_code(a['id'])}"
                if a.get("id")
                else _md_link(a["outlet"], a["url"])
                for a in also
            )
        )
    # Each quote its own block quote, separated by blank lines: adjacent "> " lines would be
    # joined into one paragraph and the sentences would run together.
    for item in _evidence(main, person=person):
        text = _highlight(
            clean(item["sentence"]), _spans(item), lambda s: f"**{md_escape(s)}**", md_escape
        )
        lines += ["", f"  > {text}"]
    return [*lines, ""]


# -- HTML -----------------------------------------------------------------------------------------

# Readable from a 390 px phone to a 1280 px desktop: no fixed widths, padding inside the box,
# long URLs and words wrap, wide tables scroll inside their own box.
_CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#222;
overflow-wrap:anywhere}
h1{font-size:1.5rem;line-height:1.25}h2{border-bottom:1px solid #ccc;margin-top:2rem}
h3{margin-bottom:.3rem}nav ul{padding-left:1.2rem;margin:.3rem 0}
.entry{margin:.8rem 0 1.2rem}.entry p{margin:.2rem 0}.meta{color:#555;font-size:.9em}
.new{background:#0a6;color:#fff;padding:0 .3em;border-radius:3px;font-size:.8em}
.flag{color:#a40;font-size:.85em}
blockquote{margin:.3rem 0 .3rem .5rem;padding-left:.6rem;border-left:3px solid #ddd}
mark{background:#fe8}code{font-size:.9em;background:#f2f2f2;padding:0 .2em;border-radius:3px;
overflow-wrap:anywhere}
.scroll{max-width:100%;overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.1rem .6rem;text-align:left;vertical-align:top}td.n{text-align:right}
@media (max-width:30rem){body{padding:.5rem}blockquote{margin-left:0}td,th{padding:.1rem .3rem}}
"""


def h(text: str | None) -> str:
    return html.escape(clean(text), quote=True)


def _a(text: str, url: str, lang: str | None = None) -> str:
    lang_attr = f' lang="{h(lang)}"' if lang is not None else ""
    return f'<a href="{h(url)}" rel="noreferrer noopener"{lang_attr}>{h(text)}</a>'


def _code(text: str) -> str:
    return f"<code>{h(text)}</code>"


def _anchors(topics: list[str]) -> dict[str, str]:
    """A unique, stable ``id`` per topic section, for the table of contents."""
    anchors: dict[str, str] = {}
    for topic in topics:
        base = "topic-" + (re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-") or "x")
        anchor, n = base, 1
        while anchor in anchors.values():
            n += 1
            anchor = f"{base}-{n}"
        anchors[topic] = anchor
    return anchors


def _status_line(change: dict[str, Any]) -> str:
    """'Bayram Allalyev: in deportation centre (Tuzla) since 2021-10-25 (was detained)'."""
    previous = change.get("previous")
    was = f" (was {previous.replace('_', ' ')})" if previous and previous != change["state"] else ""
    return f"{change['person']}: {change['description']}{was}"


def to_html(digest: dict[str, Any]) -> str:
    """The digest as one self-contained page that loads nothing: opening it must not tell
    anyone (an outlet, a CDN, whoever watches the network) that a monitor is reading it."""
    title = f"tmwatch digest — {describe(digest)}"
    groups = group(digest.get("articles") or [])
    anchors = _anchors([topic for topic, _ in groups])
    sources = _html_sources(digest)
    undelivered = _html_undelivered(digest)
    changes = digest.get("status_changes") or []
    toc = [("status", "Status changes")] if changes else []
    toc += [("counts", "Counts"), *([("sources", "Sources")] if sources else [])]
    toc += [("undelivered", "Undelivered messages")] if undelivered else []
    toc += [(anchors[topic], _topic_title(topic)) for topic, _ in groups]
    body = [
        f"<header><h1>{h(title)}</h1>",
        f'<p class="meta">{_summary_line(digest, _code, h)}</p></header>',
        '<nav aria-label="Contents"><ul>'
        + "".join(f"<li>{_a(label, '#' + anchor)}</li>" for anchor, label in toc)
        + "</ul></nav><main>",
        (
            '<section id="status"><h2>Status changes</h2><ul>'
            + "".join(f"<li>{h(_status_line(c))}</li>" for c in changes)
            + "</ul></section>"
            if changes
            else ""
        ),
        _html_counts(digest),
        sources,
        undelivered,
    ]
    for topic, people in groups:
        body.append(f'<section id="{anchors[topic]}"><h2>{h(_topic_title(topic))}</h2>')
        for person, clusters in people:
            heading = _person_heading(person, people)
            if heading:
                body.append(f"<h3>{h(heading)}</h3>")
            for members in clusters:
                body.append(_html_entry(members, person))
        body.append("</section>")
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing may load from anywhere: no scripts, no remote styles, fonts or images.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'\">"
        '<meta name="referrer" content="no-referrer">'
        f"<title>{h(title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _html_counts(digest: dict[str, Any]) -> str:
    counts = digest.get("counts") or {}

    def table(title: str, values: dict[str, int]) -> str:
        rows = "".join(
            f'<tr><td>{h(k)}</td><td class="n">{h(str(v))}</td></tr>' for k, v in values.items()
        )
        return (
            f'<div class="scroll"><table><tr><th>{h(title)}</th><th>articles</th></tr>'
            f"{rows}</table></div>"
        )

    return (
        '<section id="counts"><h2>Counts</h2>'
        + table("outlet", counts.get("outlet") or {})
        + table("language", counts.get("language") or {})
        + "</section>"
    )


def _html_sources(digest: dict[str, Any]) -> str:
    """Every source's state, then every failure message of the last crawl, source by source."""
    sources = digest.get("sources") or {}
    if not sources:
        return ""
    rows = "".join(
        f"<tr><td>{h(key)}</td><td>{h(_source_state(info))}</td>"
        f'<td class="n">{h(str(info.get("new", 0)))}</td>'
        f'<td class="n">{len(info.get("problems") or [])}</td>'
        f'<td class="flag">{h(_flags_text(info))}</td></tr>'
        for key, info in sources.items()
    )
    parts = [
        '<section id="sources"><h2>Sources</h2><div class="scroll"><table>'
        "<tr><th>source</th><th>state</th><th>new</th><th>problems</th><th>flags</th></tr>"
        f"{rows}</table></div>"
    ]
    troubled = _troubled(sources)
    if troubled:
        items = []
        for key, info in troubled.items():
            problems = info.get("problems") or []
            listed = "".join(f"<li>{_code(p)}</li>" for p in problems)
            flags = _flags_text(info)
            items.append(
                f"<li><b>{h(key)}</b> ({h(_source_state(info))})"
                + (f' — flags: <span class="flag">{h(flags)}</span>' if flags else "")
                + (f"<ul>{listed}</ul>" if problems else ": no failure recorded")
                + "</li>"
            )
        parts.append(f"<h3>Problems</h3><ul>{''.join(items)}</ul>")
    parts.append("</section>")
    return "".join(parts)


def _html_undelivered(digest: dict[str, Any]) -> str:
    """Dead letters: messages to subscribers given up on. Never silently dropped."""
    messages = digest.get("undelivered") or []
    if not messages:
        return ""
    items = []
    for message in messages:
        who, attempts, error = _undelivered_line(message)
        items.append(f"<li>{h(who)} — {h(attempts)}; last error: {_code(error)}</li>")
    return (
        '<section id="undelivered"><h2>Undelivered messages</h2>'
        "<p>These messages to subscribers failed too often and were given up on "
        f"(<code>tmwatch health</code> lists them too):</p><ul>{''.join(items)}</ul></section>"
    )


def _html_entry(members: list[dict[str, Any]], person: str = "") -> str:
    main = members[0]
    lang = _lang(main)
    flags = ""
    if main.get("new"):
        flags += '<span class="new">NEW</span> '
    if main.get("edited"):
        flags += '<span class="flag">edited</span> '
    if main.get("status") == "taken_down":
        flags += '<span class="flag">taken down</span> '
    date_text = _day_text(main)
    parts = [
        f'<article class="entry"><p>{flags}{_a(main["title"], main["url"], lang)}</p>',
        f'<p class="meta">{h(main["outlet"])}, {h(date_text)} '
        f"({h(main.get('language') or '?')}) · ID {_code(main['id'])}</p>",
    ]
    also = _also(members)
    if also:
        parts.append(
            '<p class="meta">also at: '
            + ", ".join(
                _a(a["outlet"], a["url"]) + (f" {_code(a['id'])}" if a.get("id") else "")
                for a in also
            )
            + "</p>"
        )
    for item in _evidence(main, person=person):
        text = _highlight(
            clean(item["sentence"]), _spans(item), lambda s: f"<mark>{h(s)}</mark>", h
        )
        parts.append(f'<blockquote lang="{h(lang)}">{text}</blockquote>')
    return "".join(parts) + "</article>"


# -- Atom -----------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUMMARY_LIMIT = 400


def _urn_part(text: str) -> str:
    """A name as URN characters (RFC 8141): NFC, then everything but unreserved %-encoded."""
    return urllib.parse.quote(unicodedata.normalize("NFC", clean(text)), safe="")


def feed_id(filters: dict[str, Any] | None) -> str:
    """The feed's Atom id, a URN fixed by its filters alone: the same --tag/--person feed keeps
    its id from run to run (feed readers key on it), and each combination gets its own."""
    filters = filters or {}
    parts = []
    if filters.get("tag"):
        parts += ["tag", _urn_part(filters["tag"])]
    persons = sorted({unicodedata.normalize("NFC", p) for p in filters.get("persons") or [] if p})
    if persons:
        parts += ["person", ",".join(_urn_part(p) for p in persons)]
    return "urn:tmwatch:feed:" + (":".join(parts) or "all")


def feed_title(filters: dict[str, Any] | None) -> str:
    return "tmwatch — " + (" — ".join(_filter_texts(filters)) or "all articles")


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """At most ``limit`` characters (plus "…"), cut at a word boundary: a summary cut
    mid-word can turn one name or word into another."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:  # one huge word: keep it whole rather than cut it
        cut = text.find(" ", limit)
        if cut == -1:
            return text
    return text[:cut].rstrip(" ,;:…—–") + "…"


def _day_text(article: dict[str, Any]) -> str:
    """The day an entry shows: the publication day in the outlet's time zone."""
    day = article_day(article)
    return day.isoformat() if day else "undated"


def _offset_of(value: str | None) -> str | None:
    """The UTC offset ("+03:00") of a full timestamp; None for dates and zone-less times."""
    if not value or len(value) <= 10:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    delta = moment.utcoffset()
    return None if delta is None else _format_offset(delta)


def _format_offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def source_offsets(articles: list[dict[str, Any]]) -> dict[str, str]:
    """Per source, the most common UTC offset of its full publication timestamps: the best
    guess for the outlet's local midnight when an article carries only a date."""
    seen: dict[str, Counter[str]] = {}
    for article in articles:
        offset = _offset_of(article.get("published"))
        if offset:
            seen.setdefault(article.get("source") or "", Counter())[offset] += 1
    return {source: counts.most_common(1)[0][0] for source, counts in seen.items()}


def atom_time(value: str | None, offset: str = "+00:00") -> str | None:
    """An RFC 3339 timestamp: a date becomes local midnight at ``offset``, a zone-less time gets
    ``offset``; None if ``value`` is not a date."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return f"{date.fromisoformat(value).isoformat()}T00:00:00{offset}"
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    text = moment.isoformat()
    return text if moment.tzinfo is not None else text + offset


def to_atom(digest: dict[str, Any], feed_url: str | None = None) -> str:
    """The digest as an Atom feed (RFC 4287), titled and identified by ``digest["filters"]``;
    ``feed_url`` is where the feed will be published (its rel="self" link)."""
    filters = digest.get("filters")
    articles = digest.get("articles") or []
    offsets = source_offsets(articles)
    generated = atom_time(digest.get("generated_at")) or datetime.now(UTC).isoformat()

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "en"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = clean(feed_title(filters))
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = clean(
        f"{_selection_text(digest)}; {_mark_sentence(digest, str, str)}"
    )
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id(filters)
    if feed_url:
        ET.SubElement(
            feed,
            f"{{{ATOM}}}link",
            rel="self",
            type="application/atom+xml",
            href=clean(feed_url),
        )
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = generated
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "tmwatch"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "tmwatch"
    for article in articles:
        offset = offsets.get(article.get("source") or "", "+00:00")
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {XML_LANG: _lang(article)})
        ET.SubElement(entry, f"{{{ATOM}}}title").text = clean(article["title"])
        ET.SubElement(
            entry, f"{{{ATOM}}}id"
        ).text = f"urn:tmwatch:article:{_urn_part(article['id'])}"
        link = {"rel": "alternate", "href": clean(article["url"])}
        if _lang(article):
            link["hreflang"] = _lang(article)
        ET.SubElement(entry, f"{{{ATOM}}}link", link)
        published = atom_time(article.get("published"), offset)
        updated = (
            atom_time(article.get("fetched_at"), offset)
            or atom_time(article.get("first_seen"), offset)
            or published
            or generated
        )
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated
        if published:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = published
        for name in article.get("authors") or [article["outlet"]]:
            ET.SubElement(
                ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name"
            ).text = clean(name)
        for tag in article.get("tags") or []:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=clean(tag))
        for person in article.get("persons") or []:
            ET.SubElement(
                entry, f"{{{ATOM}}}category", term=clean(person), scheme="urn:tmwatch:person"
            )
        summary = " … ".join(clean(e["sentence"]) for e in _evidence(article, 2))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = shorten(
            summary or clean(article.get("text"))
        )
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
