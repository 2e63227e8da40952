"""The W3C's own checker (the Nu HTML Checker: vnu.jar from the validator project's npm package
vnu-jar, installed by `make test`) reports no error on the public pages, in Thai and at their English addresses (issue 21)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

PAGES = ["/", "/units/?q=บึงกุ่ม", "/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", "/u/sn-buengkum/ita/2567/o5/",
         "/u/sn-buengkum/ita/2567/o7/", "/u/sn-buengkum/ita/2567/o15/", "/u/sn-buengkum/ita/2567/o17/",
         "/u/sn-buengkum/ita/2567/search/?q=งบประมาณ", "/u/sn-buengkum/questions/", "/u/sn-buengkum/questions/track/",
         "/u/sn-buengkum/complaints/new/", "/u/sn-buengkum/complaints/track/", "/u/imm-buengkan/ita/2567/o18/"]
ENGLISH = ["/en/", "/en/units/?q=บึงกุ่ม", "/en/u/sn-buengkum/", "/en/u/sn-buengkum/ita/2567/",
           "/en/u/sn-buengkum/ita/2567/o7/", "/en/u/sn-buengkum/questions/"]
VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(paths: list[Path]) -> list[dict]:
    """The checker's errors (warnings left out) for these files."""
    done = subprocess.run(["java", "-Xss1024k", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    return json.loads(done.stderr or "{}").get("messages", [])


@pytest.fixture
def java():
    require(shutil.which("java") is not None, "java (default-jre-headless) is needed by the W3C checker")


def test_the_checker_catches_an_error(java, tmp_path):
    # The judge judges: a <time> with six fractional digits (the error the public pages used to have).
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="th"><title>x</title><time datetime="2024-01-05T10:00:00.123456+07:00">'
                    "5 ม.ค.</time></html>", encoding="utf-8")
    assert [m["type"] for m in check([page])] == ["error"]


@pytest.mark.django_db
def test_the_public_pages_have_no_error(java, client, tmp_path):
    from oit_items.demo.evidence import publish_all

    publish_all(2567)  # the demo's sample evidence approved: files, photos, a "none" month on the pages
    files = []
    for n, url in enumerate(PAGES + ENGLISH):
        response = client.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"{n:02d}.html")
        files[-1].write_bytes(response.content)
    errors = [(PAGES + ENGLISH)[int(Path(m["url"]).stem)] + ": " + m["message"] for m in check(files)]
    assert errors == []
