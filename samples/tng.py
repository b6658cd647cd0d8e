"""The Turkmenistan News Gazette sample: English WordPress posts at ``/<slug>/``, RSS at /feed/.

Recorded (docs/outlets.md): turkmenistannewsgazette.com publishes English reposts of Chronicles
of Turkmenistan; only its home page is recorded. Assumed, as the registry entry assumes: a
WordPress site, so the feed is ``/feed/`` and posts live at ``/<slug>/`` (with WordPress's
``page/``, ``tag/``, ``category/`` … paths excluded); the markup is a common WordPress theme's
(``h1.entry-title``, ``time.entry-date``, ``div.entry-content``). The sample's stories are
written for it, not translated from the Chronicles sample, so they cluster with nothing.

Every text here was written for tmwatch.
"""

from __future__ import annotations

from tmwatch.samples import kit
from tmwatch.samples.model import SampleArticle as A

OUTLET = "turkmenistannewsgazette"
SITE_NAME = "Turkmenistan News Gazette"
_SECTIONS = (
    ("News", "category/news/"),
    ("Human Rights", "category/human-rights/"),
    ("Migration", "category/migration/"),
)

ARTICLES = [
    A(
        OUTLET,
        "turkmen-dissidents-in-turkey-fear-a-deportation-list/",
        "en",
        "2021-10-29T12:10:00+05:00",
        "Turkmen dissidents in Turkey fear a deportation list",
        (
            "Turkmen government critics living in Turkey say police officers who detained them "
            "this month mentioned a list of names that had reportedly come from Turkmenistan's "
            "consulate in Istanbul. At least three of them were taken to the Tuzla deportation "
            "centre.",
            "One of those held, the video blogger Bayram Allalyev, had spent years posting "
            "clips about shortages and corruption at home. His friends say he has been given "
            "no written decision and has been unable to speak to a lawyer of his choice.",
            "Rights groups warn that critics sent back to Turkmenistan are routinely jailed or "
            "disappear, and are asking Turkey to examine each case individually instead of "
            "deporting people in groups.",
        ),
    ),
    A(
        OUTLET,
        "nurmukhamed-annayev-released-from-pendik-centre/",
        "en",
        "2021-11-08T17:45:00+05:00",
        "Nurmukhamed Annayev released from Pendik centre",
        (
            "Turkmen activist Nurmukhamed Annayev has been released from the Pendik removal "
            "centre in Istanbul after several weeks in detention, his relatives told the "
            "Gazette on Monday.",
            "Annayev was detained in October during an identity check. His lawyer argued that "
            "he had applied for international protection and that sending him to Turkmenistan "
            "would expose him to prosecution for his online posts.",
            "He must now report to the migration office every week while his case is reviewed. "
            "Other Turkmen migrants arrested in the same wave of checks remain in custody, "
            "according to activists in Istanbul.",
        ),
        author="Gazette staff",
    ),
]


def article_html(article: A, base: str, others: list[A]) -> str:
    """A WordPress single post (the theme's markup is assumed)."""
    related, footer = "More news", "Turkmenistan News Gazette. Independent news about Turkmenistan."
    return kit.wordpress_post(article, base, others, SITE_NAME, _SECTIONS, related, footer)


def home(base: str) -> str:
    """The home page: the category menu, the /feed/ link, the latest posts."""
    return kit.home_page(base, OUTLET, SITE_NAME, ARTICLES, _SECTIONS, lang="en", feed="feed/")


def site(base: str) -> dict[str, tuple[str, str]]:
    """The WordPress feed at /feed/."""
    return kit.feed(OUTLET, SITE_NAME, "feed/", ARTICLES, base)
