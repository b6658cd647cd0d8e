"""Processing stages over article records; plain functions, usable without Scrapy.

Only ``pipeline.adapters`` imports Scrapy: it wraps these stages as Scrapy item pipelines.
"""
