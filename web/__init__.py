"""``tmwatch serve``: the researchers' web interface over the archive.

Server-rendered pages (Starlette, Jinja2 with autoescaping) that work without JavaScript, a
JSON API sharing the command line's contracts, and one write (an article's English title).
Everything it reads goes through a read-only store connection; it loads nothing from another
origin, and it binds to loopback unless a password protects it.
"""
