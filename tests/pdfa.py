"""Apache PDFBox Preflight, a PDF/A validator (Debian's libpdfbox2-java), run on our PDFs. This module
holds no tests.

Preflight checks the rules of ISO 19005-1 (PDF/A-1b): fonts embedded and their widths consistent
with the font programs, the XMP metadata and its agreement with the document information, the
output intent and colour spaces, annotations, actions, stream syntax. It is the only PDF/A validator
the registries we reach offer: veraPDF, which knows PDF/A-2, is packaged in neither Debian, PyPI nor
npm. Our files are PDF/A-2u (ISO 19005-2), which keeps every PDF/A-1 rule but a few it relaxes, so a
file passes here when Preflight finds nothing else than PDF_A2_ALLOWS.
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import require

JARS = ("preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api")
JAVA_DIR = Path("/usr/share/java")

# Preflight's error code -> why ISO 19005-2 accepts it (the clause that differs from ISO 19005-1).
PDF_A2_ALLOWS = {
    "1.4": "cross-reference streams: PDF/A-1 is PDF 1.4 syntax; PDF/A-2 6.1.4 allows PDF 1.7's streams",
    "1.2.7": "a compressed metadata stream: PDF/A-1 6.7.2 forbids a Filter; PDF/A-2 6.6.2.1 does not",
    "3.1.11": "no CIDSet for a subset CIDFont: PDF/A-1 6.3.5 requires it; PDF/A-2 6.2.11.4.2 makes it optional",
    "2.2.2": "an image's soft mask (a PNG with alpha): PDF/A-1 6.4 forbids transparency; PDF/A-2 6.2.10 allows it"
             " in a file with an output intent, as ours have",
}
ERROR_LINE = re.compile(r"^(\d+(?:\.\d+)*) : (.*)$")


def preflight(pdf: bytes) -> list[tuple[str, str]]:
    """Every (code, message) Preflight reports for this file; [] when it is valid PDF/A-1b."""
    jars = [JAVA_DIR / f"{name}.jar" for name in JARS]
    require(shutil.which("java") is not None and all(jar.exists() for jar in jars),
            "PDFBox Preflight is installed: scripts/ensure-system.sh test")
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "checked.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            ["java", "-cp", ":".join(map(str, jars)), "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    if "is a valid PDF/A-1b file" in output:
        return []
    errors = [m.groups() for line in output.splitlines() if (m := ERROR_LINE.match(line.strip()))]
    assert errors, f"Preflight gave no verdict (exit {result.returncode}): {output[-2000:]}"
    return errors


def pdf_a2_failures(pdf: bytes) -> list[tuple[str, str]]:
    """What Preflight reports that PDF/A-2 forbids too: [] for a file we may call PDF/A-2u."""
    allowed = set(PDF_A2_ALLOWS) - (set() if _has_output_intent(pdf) else {"2.2.2"})
    return [(code, message) for code, message in preflight(pdf) if code not in allowed]


def _has_output_intent(pdf: bytes) -> bool:
    import io

    from pypdf import PdfReader

    intents = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/OutputIntents") or []
    return any(intent.get_object().get("/S") == "/GTS_PDFA1" for intent in intents)
