"""Markdown, HTML and Atom renderings of a digest.

Articles are grouped by topic (the most specific first), then by watched person, then by story
cluster (one entry per cluster with "also at" links). Evidence sentences are shown with the
matched words highlighted. All article-supplied text is escaped for its format: HTML entities in
HTML, Markdown punctuation in Markdown, XML via ElementTree in Atom; control characters and bidi
overrides are removed first. The HTML file is self-contained: inline CSS only, a Content Security
Policy that forbids every remote load, and links with rel="noreferrer noopener".
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from typing import Any

TOPIC_ORDER = ("turkmen-detention-turkey", "detention")
TOPIC_LABELS = {
    "turkmen-detention-turkey": "Turkmen nationals detained in or deported from Turkey",
    "detention": "Other detentions and deportations",
    "_persons": "Watched people, no detention reported",
    "_other": "Other articles",
}
# C0/C1 controls (except tab and newline), bidi embeddings/overrides/isolates, BOM.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
# Inline Markdown syntax; line-start syntax (#, -, >) cannot occur: every line has a prefix.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def clean(text: str | None) -> str:
    """Text with control characters and bidi overrides removed (they can disguise content)."""
    return _UNSAFE.sub("", text or "")


def group(articles: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, list[list[dict]]]]]]:
    """[(topic, [(person, [cluster entries])])]; each article appears once, under its most
    specific topic and its first watched person; a cluster is listed once."""
    sections: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    for article in articles:
        topic = next((t for t in TOPIC_ORDER if t in article["tags"]), None)
        topic = topic or (article["tags"][0] if article["tags"] else None)
        topic = topic or ("_persons" if article["persons"] else "_other")
        person = article["persons"][0] if article["persons"] else ""
        cluster = article.get("cluster") or article["id"]
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


def _evidence(article: dict[str, Any], limit: int = 3) -> list[dict[str, Any]]:
    seen, chosen = set(), []
    for item in sorted(article["evidence"], key=lambda e: (e["kind"] != "topic", e["start"])):
        if item["sentence"] not in seen:  # one sentence once, whichever tags it proves
            seen.add(item["sentence"])
            chosen.append(item)
    return chosen[:limit]


def _topic_title(topic: str) -> str:
    return TOPIC_LABELS.get(topic, topic)


# -- Markdown -------------------------------------------------------------------------------------


def md_escape(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(text).replace("\n", " "))


def _md_link(text: str, url: str) -> str:
    safe_url = clean(url).replace(" ", "%20").replace(")", "%29").replace("(", "%28")
    return f"[{md_escape(text)}](<{safe_url.replace('>', '%3E')}>)"


def to_markdown(digest: dict[str, Any]) -> str:
    lines = [
        f"# tmwatch digest — {md_escape(_selection(digest))}",
        "",
        f"Generated {digest['generated_at']}; {digest['count']} articles"
        + (
            f"; new since {digest['previous_digest_at']}"
            if digest.get("previous_digest_at")
            else ""
        )
        + ".",
        "",
    ]
    lines += ["## Counts", "", "| outlet | articles |", "|---|---:|"]
    lines += [f"| {md_escape(k)} | {v} |" for k, v in digest["counts"]["outlet"].items()]
    lines += ["", "| language | articles |", "|---|---:|"]
    lines += [f"| {md_escape(k)} | {v} |" for k, v in digest["counts"]["language"].items()]
    lines += ["", *_md_sources(digest)]
    for topic, people in group(digest["articles"]):
        lines += [f"## {md_escape(_topic_title(topic))}", ""]
        for person, clusters in people:
            if person:
                lines += [f"### {md_escape(person)}", ""]
            for members in clusters:
                lines += _md_entry(members)
    return "\n".join(lines).rstrip() + "\n"


def _md_sources(digest: dict[str, Any]) -> list[str]:
    bad = {k: v for k, v in digest.get("sources", {}).items() if v["state"] != "ok"}
    if not bad:
        return []
    lines = ["## Sources that failed or yielded nothing", ""]
    for key, info in bad.items():
        problem = f": {md_escape(info['problems'][0])}" if info["problems"] else ""
        lines.append(f"- **{md_escape(key)}** ({info['state']}){problem}")
    return [*lines, ""]


def _md_entry(members: list[dict[str, Any]]) -> list[str]:
    main, others = members[0], members[1:]
    flags = " ".join(
        f
        for f, on in (
            ("**NEW**", main.get("new")),
            ("*edited*", main.get("edited")),
            ("*taken down*", main.get("status") == "taken_down"),
        )
        if on
    )
    date = (main.get("published") or "")[:10]
    lines = [
        f"- {flags + ' ' if flags else ''}{_md_link(main['title'], main['url'])} — "
        f"{md_escape(main['outlet'])}, {date} ({md_escape(main.get('language') or '?')})"
    ]
    also = [
        *others,
        *[a for a in main.get("also_at", []) if a["id"] not in {m["id"] for m in others}],
    ]
    if also:
        lines.append("  - also at: " + ", ".join(_md_link(a["outlet"], a["url"]) for a in also))
    for item in _evidence(main):
        text = _highlight(
            clean(item["sentence"]), _spans(item), lambda s: f"**{md_escape(s)}**", md_escape
        )
        lines.append(f"  > {text}")
    return [*lines, ""]


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}h3{margin-bottom:.3rem}
.entry{margin:.8rem 0 1.2rem}.meta{color:#555;font-size:.9em}.new{background:#0a6;color:#fff;
padding:0 .3em;border-radius:3px;font-size:.8em}.flag{color:#a40;font-size:.85em}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #ddd}
mark{background:#fe8}table{border-collapse:collapse}td,th{padding:.1rem .6rem;text-align:left}
"""


def h(text: str | None) -> str:
    return html.escape(clean(text), quote=True)


def _a(text: str, url: str) -> str:
    return f'<a href="{h(url)}" rel="noreferrer noopener">{h(text)}</a>'


def to_html(digest: dict[str, Any]) -> str:
    body = [
        f"<h1>tmwatch digest — {h(_selection(digest))}</h1>",
        f'<p class="meta">Generated {h(digest["generated_at"])}; {digest["count"]} articles.</p>',
        _html_counts(digest),
        _html_sources(digest),
    ]
    for topic, people in group(digest["articles"]):
        body.append(f"<h2>{h(_topic_title(topic))}</h2>")
        for person, clusters in people:
            if person:
                body.append(f"<h3>{h(person)}</h3>")
            for members in clusters:
                body.append(_html_entry(members))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        # Nothing may load from anywhere: no scripts, no remote styles, fonts or images.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'\">"
        '<meta name="referrer" content="no-referrer">'
        f"<title>tmwatch digest — {h(_selection(digest))}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _html_counts(digest: dict[str, Any]) -> str:
    def table(title: str, counts: dict[str, int]) -> str:
        rows = "".join(f"<tr><td>{h(k)}</td><td>{v}</td></tr>" for k, v in counts.items())
        return f"<table><tr><th>{h(title)}</th><th>articles</th></tr>{rows}</table>"

    return table("outlet", digest["counts"]["outlet"]) + table(
        "language", digest["counts"]["language"]
    )


def _html_sources(digest: dict[str, Any]) -> str:
    bad = {k: v for k, v in digest.get("sources", {}).items() if v["state"] != "ok"}
    if not bad:
        return ""
    items = "".join(
        f"<li><b>{h(k)}</b> ({h(v['state'])}){': ' + h(v['problems'][0]) if v['problems'] else ''}"
        "</li>"
        for k, v in bad.items()
    )
    return f"<h2>Sources that failed or yielded nothing</h2><ul>{items}</ul>"


def _html_entry(members: list[dict[str, Any]]) -> str:
    main, others = members[0], members[1:]
    flags = ""
    if main.get("new"):
        flags += '<span class="new">NEW</span> '
    if main.get("edited"):
        flags += '<span class="flag">edited</span> '
    if main.get("status") == "taken_down":
        flags += '<span class="flag">taken down</span> '
    parts = [
        f'<div class="entry">{flags}{_a(main["title"], main["url"])}',
        f'<div class="meta">{h(main["outlet"])}, {h((main.get("published") or "")[:10])} '
        f"({h(main.get('language') or '?')})</div>",
    ]
    also = [
        *others,
        *[a for a in main.get("also_at", []) if a["id"] not in {m["id"] for m in others}],
    ]
    if also:
        parts.append(
            '<div class="meta">also at: '
            + ", ".join(_a(a["outlet"], a["url"]) for a in also)
            + "</div>"
        )
    for item in _evidence(main):
        text = _highlight(
            clean(item["sentence"]), _spans(item), lambda s: f"<mark>{h(s)}</mark>", h
        )
        parts.append(f"<blockquote>{text}</blockquote>")
    return "".join(parts) + "</div>"


def _selection(digest: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in digest["selection"].items())


# -- Atom -----------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def to_atom(digest: dict[str, Any], title: str, feed_id: str) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = clean(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _atom_time(digest["generated_at"])
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "tmwatch"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "tmwatch"
    for article in digest["articles"]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = clean(article["title"])
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:tmwatch:article:{article['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=clean(article["url"]))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _atom_time(
            article.get("fetched_at") or article.get("first_seen") or digest["generated_at"]
        )
        if article.get("published") and len(article["published"]) > 10:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _atom_time(article["published"])
        for name in article.get("authors") or [article["outlet"]]:
            ET.SubElement(
                ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name"
            ).text = clean(name)
        for tag in article.get("tags", []):
            ET.SubElement(entry, f"{{{ATOM}}}category", term=tag)
        for person in article.get("persons", []):
            ET.SubElement(
                entry, f"{{{ATOM}}}category", term=clean(person), scheme="urn:tmwatch:person"
            )
        summary = " … ".join(clean(e["sentence"]) for e in _evidence(article, 2))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary or clean(article["text"][:300])
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _atom_time(value: str) -> str:
    return value if len(value) > 10 else f"{value}T00:00:00+00:00"

