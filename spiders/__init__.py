"""Scrapy spiders for tmwatch, driven entirely by the sources registry.

Discovery parsers (feeds, sitemaps, listings) are plain functions in their own modules so they can
be tested on bytes; ``outlets`` is the one spider that routes between them.
"""
