"""htmldate is given ``extract``'s own tree only where it would build the same tree itself.

``pipeline.extract._htmldate_input`` spares the fallback date a second parse of the page; these
tests pin that its answer never differs from htmldate's answer on the page text.
"""

from __future__ import annotations

import lxml.html
import pytest
from htmldate import find_date
from htmldate.utils import repair_faulty_html

from tmwatch.pipeline.extract import _htmldate_input, _htmldate_repair, _parse

_BODY = "<body><p>Published 12 March 2021</p><p>Text of the article.</p></body>"
_PAGES = [
    f"<!DOCTYPE html><html>{_BODY}</html>",  # one line: htmldate appends a newline
    f"<!DOCTYPE html>\n<html>{_BODY}</html>\n",
    f"<html>{_BODY}</html>",
    f"  <!doctype html><html><head><meta charset='utf-8' /></head>{_BODY}</html>",
    f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"><html><br/>{_BODY}</html>',
    f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd">\n<html>{_BODY}<br/></html>',
    f"<!DOCTYPE html>\n<html lang='tk' />\n{_BODY}</html>",
    f"<!DOCTYPE html><html>{_BODY}<script>var a = 1;</html>",  # </html> inside the script
    f"<!DOCTYPE html><html>{_BODY}<textarea>note</html>",
    f"<!DOCTYPE html><html>{_BODY}<!-- </html>",
    f"<!DOCTYPE html><html>{_BODY}",  # truncated: the newline would join the last paragraph
    f"<!DOCTYPE html><html><?php echo 1; ?>{_BODY}</html>",
    f"<!-- generated -->\n<html>{_BODY}</html>",  # a fragment to lxml.html.fromstring
    f"<div>{_BODY}</div>",
    "<!DOCTYPE html/ ><html><body>x</body></html>",
    " " * 60 + "<html><body><p>Published 12 March 2021</p></body></html>",  # refused by htmldate
]


@pytest.mark.parametrize("html", _PAGES)
def test_repair_read_as_htmldate_repairs(html: str) -> None:
    """``_htmldate_repair`` says what htmldate's own repair does, without copying the page."""
    repaired = repair_faulty_html(html, html[:50].lower())
    expected = None if repaired == html else "newline" if repaired == html + "\n" else "other"
    assert _htmldate_repair(html) == expected


@pytest.mark.parametrize("html", _PAGES)
def test_tree_given_only_when_htmldate_would_parse_the_same(html: str) -> None:
    """Where the tree is given, it serialises as htmldate's own parse of the page does, the
    date found is the same, and the tree itself is left whole."""
    tree = _parse(html)
    before = lxml.html.tostring(tree)
    given = _htmldate_input(html, tree)
    found = find_date(given, extensive_search=True, original_date=True, url="https://x.tm/a")
    assert lxml.html.tostring(tree) == before
    assert found == find_date(html, extensive_search=True, original_date=True, url="https://x.tm/a")
    if given is tree:
        own = lxml.html.fromstring(
            repair_faulty_html(html, html[:50].lower()),
            parser=lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_pis=True),
        )
        assert lxml.html.tostring(own) == before


def test_minified_page_is_not_parsed_again() -> None:
    """The common case (a one-line page ending in </html>) takes the tree; the unclosed
    script, a processing instruction and a fragment take the page text."""
    picks = {html: _htmldate_input(html, _parse(html)) for html in _PAGES}
    assert not isinstance(picks[_PAGES[0]], str)
    assert not isinstance(picks[_PAGES[1]], str)
    for index in (7, 8, 9, 10, 11, 12, 13, 15):
        assert isinstance(picks[_PAGES[index]], str), _PAGES[index]


def test_page_tree_classes_chosen_in_c_and_kept_by_copies() -> None:
    """``_parse`` gives plain HtmlElements (form controls included) and copies keep that lookup,
    so trafilatura's copy of the tree is walked without lxml.html's Python class lookup."""
    from copy import copy, deepcopy

    tree = _parse("<html><body><form><input name=a></form><p>x</p><!-- c --></body></html>")
    for version in (tree, copy(tree), deepcopy(tree)):
        kinds = {type(node) for node in version.iter()}
        assert kinds == {lxml.html.HtmlElement, lxml.html.HtmlComment}
