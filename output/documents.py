"""Word-processor documents (.docx, .odt) with real footnotes, made by pandoc.

Appeal writers paste case files into their appeals, so a footnote must be the word processor's
own footnote, not a superscript number with a list underneath. pandoc turns Markdown footnotes
(``[^1]``) into real ones. It comes with the ``pypandoc-binary`` wheel (nothing is downloaded at
run time) and runs with ``--sandbox``, so it reads no other file and contacts no host.
"""

from __future__ import annotations

import os
from pathlib import Path

FORMATS = ("docx", "odt")


class DocumentError(RuntimeError):
    """pandoc could not make the document; the message is one line."""


def write_document(markdown: str, fmt: str, path: Path) -> Path:
    """Write ``markdown`` as a .docx or .odt at ``path``, atomically and owner-only."""
    import pypandoc

    if fmt not in FORMATS:
        raise DocumentError(f"unknown document format {fmt!r} (use {', '.join(FORMATS)})")
    if not path.parent.is_dir():
        raise DocumentError(f"cannot write {path}: {path.parent} is not a directory")
    tmp = path.with_name(f".{path.name}.part")
    try:
        pypandoc.convert_text(
            markdown,
            fmt,
            format="markdown",
            outputfile=str(tmp),
            extra_args=["--sandbox"],
        )
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    except (OSError, RuntimeError) as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # nothing was written there

        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DocumentError(f"cannot write {path}: {first}") from None
    return path
