"""Outputs: the SQLite store and everything read from it (digests, search, citations)."""
