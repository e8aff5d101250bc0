"""Reading a PDF answer back: its type, its first bytes and its text (pdftotext, from
poppler-utils)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(response, layout=False):
    """The text of a PDF response, lines joined; asserts it is a PDF answered inline."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=UTF-8''")
    assert response.content.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answer.pdf"
        path.write_bytes(response.content)
        options = ["-layout"] if layout else []
        text = subprocess.run(
            ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return text.replace("\n", "")
