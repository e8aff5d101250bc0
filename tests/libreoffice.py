"""Printing through LibreOffice in the tests: a document converted to PDF, read as text.

Skipped without LibreOffice unless JIEFANG_REQUIRE_LIBREOFFICE is set (as in CI)."""

import os
import shutil
import subprocess

import pytest


def soffice():
    path = shutil.which("soffice")
    if path is None:
        message = (
            "LibreOffice is not installed (apt-get install libreoffice-calc libreoffice-writer)"
        )
        if os.environ.get("JIEFANG_REQUIRE_LIBREOFFICE"):
            pytest.fail(message + ": required here")
        pytest.skip(message + ": print check skipped")
    return path


def printed_pages(source, folder):
    """The text of each page of `source` (a .xlsx or .docx file) printed to PDF."""
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(source.with_suffix(".pdf")), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]
