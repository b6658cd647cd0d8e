"""What the fork server of ``--jobs N`` loads and builds before it forks any worker.

Every worker is forked from the fork server (``pipeline.workers``), so it starts with what the
server holds. Importing the stages there spares each worker the imports; three tables that
depend on no configuration, which a worker would otherwise build on its first pages, are built
there too:

- the language model (py3langid's tables with the learned Turkmen columns): 0.7-1.2 s;
- dateparser's expressions for the languages it reads dates in (``pipeline.date_locales``),
  compiled on the first date htmldate hands it: 0.8 s;
- justext's merged stop lists, built on the first page trafilatura's comparison sends to
  justext: 0.1-0.3 s.

Built once in the server (a `tmwatch run` that crawls again and again keeps its server), they
cost no worker anything (copy-on-write pages), where every worker of every pool built them
again. Importing this module does the work, because a fork server's preload is a list of
module names.
"""

from __future__ import annotations

import gc
import logging

from trafilatura.external import jt_stoplist_init

import tmwatch.pipeline.ingest  # (the stages crawl and reprocess run)
import tmwatch.pipeline.pages  # noqa: F401  (the stages `tmwatch extract --jobs` runs)
from tmwatch.pipeline.date_locales import external_parser
from tmwatch.pipeline.language import detect_language

logger = logging.getLogger(__name__)

_DATE_LINE = "Опубликовано 22 октября 2021 года"


def build_tables() -> None:
    """Build the language model, dateparser's tables and justext's stop lists here.

    A failure is left for the workers to meet on their first page, where it becomes that page's
    error with its message; the fork server itself must start whatever happens here."""
    try:
        detect_language("Türkmen aktiwistleri Stambulda tussag edildi")
        external_parser().get_date_data(_DATE_LINE)  # no language reads it whole: all compile
        jt_stoplist_init()
    except Exception as exc:  # the workers report it, page by page
        logger.warning("could not prepare the workers' tables: %s", exc)


build_tables()
# What the server holds now lives as long as it does: out of the collector's reach, a worker's
# collections neither scan it nor touch (and so copy) the pages it shares with the server.
gc.freeze()
