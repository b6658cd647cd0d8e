"""English-language sample articles (Turkmen.News English edition). Synthetic texts."""

from __future__ import annotations

from tmwatch.samples.model import SampleArticle as A

TE = "en-turkmen-news"

ARTICLES = [
    A(
        TE,
        "news/turkmen-activists-detained-in-turkey/",
        "en",
        "2021-10-19T17:00:00+03:00",
        "Turkmen activists Rakhmanov and Abulov detained in Turkey",
        (
            "Two Turkmen activists were detained in Turkey on October 18. Akhmed Rakhmanov was "
            "held at the migration office in Antalya, and Kamil Abulov was taken from his flat in "
            "Istanbul.",
            "Both men were placed in the Tuzla deportation centre. Police told Abulov's wife that "
            "they were working from a list of 25 activists handed over by the consulate.",
            "Turkmen.News calls on the Turkish authorities not to deport the activists to "
            "Turkmenistan.",
        ),
        author="Ruslan Myatiev",
        alternates={"ru": "turkmen-news/turkmenistan-turcia-arest/"},
    ),
    A(
        TE,
        "news/dursoltan-taganova-released/",
        "en",
        "2021-10-12T21:00:00+03:00",
        "Dursoltan Taganova released from deportation centre",
        (
            "Activist Dursoltan Taganova walked free on October 12 after two weeks in a deportation "
            "centre.",
            "Officials described Taganova's detention as a misunderstanding. Her lawyer thanked "
            "human rights groups for their support.",
            "Taganova says she will keep pressing for Turkmen migrants' passports to be renewed.",
        ),
        alternates={"ru": "turkmen-news/taganova-osvobozhdena/"},
    ),
    A(
        TE,
        "news/activists-beaten-outside-consulate/",
        "en",
        "2021-08-02T18:00:00+03:00",
        "Turkmen activists beaten outside the consulate in Istanbul",
        (
            "Several Turkmen activists who gathered outside Turkmenistan's consulate in Istanbul on "
            "August 1 were beaten by unidentified men.",
            "Aziz Mamedov's phone was taken from him, and Farkhad Durdyev says he was lured into "
            "the consulate grounds and assaulted.",
            "The activists have filed complaints with the police and are working with lawyers.",
        ),
    ),
    A(
        TE,
        "news/allalyev-freed-from-pendik/",
        "en",
        "2021-11-01T20:00:00+03:00",
        "Bayram Allalyev freed from Pendik deportation centre",
        (
            "Turkmen activist Bayram Allalyev was released from the Pendik deportation centre on "
            "November 1, ten days after he was detained at the Istanbul migration office.",
            "Allalyev says other Turkmen citizens with expired passports remain in the centre.",
            "Rights groups continue to urge Turkey to respect the principle of non-refoulement.",
        ),
    ),
    A(
        TE,
        "news/cotton-harvest-forced-labour/",
        "en",
        "2021-10-02T10:00:00+03:00",
        "Teachers and doctors sent to the cotton fields again",
        (
            "As the cotton harvest began, public sector workers in several provinces of "
            "Turkmenistan were again ordered into the fields.",
            "Some pay hired pickers to go in their place, a cost that has risen this year.",
            "International buyers have long boycotted Turkmen cotton over forced labour.",
        ),
    ),
    A(
        TE,
        "news/internet-speeds-fall/",
        "en",
        "2021-11-03T12:00:00+03:00",
        "Mobile internet slows to a crawl across Turkmenistan",
        (
            "Users across Turkmenistan report that mobile internet has slowed sharply and that "
            "most VPN services no longer connect.",
            "Sellers of VPN access have raised their prices. Students say they cannot reach "
            "online course material.",
            "The state operator has not commented on the disruption.",
        ),
    ),
]
