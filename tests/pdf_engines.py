"""The text of a PDF as three viewers extract it (copy, search, screen readers): poppler
(`pdftotext`: Evince, Okular, most Linux tools), PDFium (pypdfium2: Chrome and Edge) and pdf.js
(`pdfjs-dist` run with node: Firefox). This module holds no tests.

Each returns one string per page; lines are kept, text is normalised to NFC (the canonical order
of Thai marks: the same text, whichever order the marks were typed in).
"""

import json
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from django.conf import settings

from tests.conftest import require

PDFJS_SCRIPT = Path(__file__).parent / "js" / "pdf_text.mjs"
ENGINES = ("poppler", "pdfium", "pdfjs")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def poppler_pages(content: bytes) -> list[str]:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True).stdout
    return [_nfc(page) for page in text.decode().split("\f")[:-1]]


def pdfium_pages(content: bytes) -> list[str]:
    import pypdfium2

    from ita_portal.lib.upload_documents import PDFIUM_LOCK

    with PDFIUM_LOCK:  # the live server's thread may be making an upload's thumbnail at this moment
        pdf = pypdfium2.PdfDocument(content)
        try:
            return [_nfc(page.get_textpage().get_text_bounded().replace("\r\n", "\n")) for page in pdf]
        finally:
            pdf.close()


def pdfjs_pages_many(contents: list[bytes]) -> list[list[str]]:
    """pdf.js on several PDFs in one node process (starting node is the slow part)."""
    require(shutil.which("node") is not None and (settings.NODE_MODULES / "pdfjs-dist").is_dir(),
            "node and the pdfjs-dist npm package are installed (npm ci)")
    with tempfile.TemporaryDirectory() as work:
        paths = []
        for i, content in enumerate(contents):
            paths.append(str(Path(work) / f"{i}.pdf"))
            Path(paths[-1]).write_bytes(content)
        result = subprocess.run(["node", str(PDFJS_SCRIPT), *paths], capture_output=True, check=True,
                                cwd=settings.BASE_DIR, timeout=300)
    found = json.loads(result.stdout)
    return [[_nfc(page) for page in found[path]] for path in paths]


def pdfjs_pages(content: bytes) -> list[str]:
    return pdfjs_pages_many([content])[0]


def all_engines(content: bytes) -> dict[str, list[str]]:
    return {"poppler": poppler_pages(content), "pdfium": pdfium_pages(content), "pdfjs": pdfjs_pages(content)}


def lines(pages: list[str]) -> list[str]:
    return [" ".join(line.split()) for page in pages for line in page.splitlines() if line.strip()]
