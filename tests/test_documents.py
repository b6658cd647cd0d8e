"""Case files as .docx and .odt: real footnotes, and LibreOffice opens them."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.tools import require_program
from tmwatch.output.documents import DocumentError, write_document

FOOTNOTE = (
    "[Taganova detained in Istanbul. In Russian] Таганова задержана в Стамбуле. "
    "Nezavisimaya Gazeta, 29.09.2021 https://www.ng.ru/example"
)
MARKDOWN = f"# Dursoltan Taganova\n\nDetained in Istanbul on 27.09.2021.[^1]\n\n[^1]: {FOOTNOTE}\n"


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_documents_carry_real_footnotes_and_open_in_libreoffice(tmp_path: Path, fmt: str) -> None:
    soffice = require_program("soffice", "libreoffice-writer-nogui")
    path = write_document(MARKDOWN, fmt, tmp_path / f"case.{fmt}")
    assert path.stat().st_mode & 0o077 == 0
    with zipfile.ZipFile(path) as archive:
        if fmt == "docx":
            notes = archive.read("word/footnotes.xml").decode("utf-8")
        else:
            notes = archive.read("content.xml").decode("utf-8")
            assert "<text:note " in notes
    assert "Таганова задержана в Стамбуле" in notes
    out = tmp_path / "html"
    proc = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            "--convert-to",
            "html",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    page = " ".join((out / "case.html").read_text(encoding="utf-8", errors="replace").split())
    assert 'name="sdfootnote1sym"' in page  # LibreOffice's own footnote, not a superscript
    assert "Nezavisimaya Gazeta, 29.09.2021" in page


def test_an_unwritable_document_path_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DocumentError) as info:
        write_document(MARKDOWN, "docx", blocker / "case.docx")
    assert "\n" not in str(info.value)
    with pytest.raises(DocumentError):
        write_document(MARKDOWN, "pdf", tmp_path / "case.pdf")
