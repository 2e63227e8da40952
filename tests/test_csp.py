"""Content-Security-Policy (django-csp): scripts only from the portal itself, no inline script in
any template, and the pages that use JavaScript work in Chromium under it with no violation."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import log_in

# A JSON-LD data block (type application/ld+json) is never executed, so CSP does not apply to it.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_every_page_carries_the_policy(client, db):
    for url in ("/", "/u/sn-buengkum/", "/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'" and "unsafe" not in directives["script-src"]
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text) or "javascript:" in text:
            offenders.append(str(path))
    assert offenders == []


@pytest.mark.browser
def test_pages_with_javascript_run_under_the_policy(live_server, committed_demo, phone):
    violations = []
    phone.on("console", lambda message: violations.append(message.text)
             if "Content Security Policy" in message.text else None)
    log_in(phone, live_server.url, "bk-responsible")
    for path in ("/staff/units/sn-buengkum/ita/2567/o7/", "/staff/units/sn-buengkum/reports/2567/data/procurement/m10/",
                 "/staff/units/sn-buengkum/measures/2567/documents/", "/u/sn-buengkum/ita/2567/o7/", "/account/2fa/setup/"):
        response = phone.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        phone.wait_for_load_state("networkidle")
    assert phone.evaluate("typeof htmx") == "object" and phone.evaluate("typeof bootstrap") == "object"
    assert violations == []
