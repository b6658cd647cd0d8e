"""tmwatch configuration: Scrapy settings, the sources registry, watchlist and topics.

The package is named by the user's required layout. Nothing here does work at import time.
"""
