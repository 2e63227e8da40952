"""An officer links LINE on a phone (issue 23's "done when"), in Chromium, in Thai: the profile gives a
one-time code; LINE (here: signed webhooks, as the Messaging API posts them, to the live server) carries
it back; the page then says linked. Screenshots go to $SCREENSHOT_DIR (default: the test's temporary directory)."""

import base64
import hashlib
import hmac
import json
import urllib.request

import pytest
from django.contrib.auth import get_user_model

from tests.test_browser_my_work import session, shots  # noqa: F401 — `shots` is a fixture
from tests.test_line_messaging import SECRET, event, line_api, line_server, text, user_source  # noqa: F401 — fixtures
from units.messaging_models import MessagingProfile

pytestmark = [pytest.mark.browser]


def webhook(base_url, *events):
    """What LINE's platform posts: the events, signed with the channel secret."""
    body = json.dumps({"destination": "Ubot", "events": list(events)}).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    request = urllib.request.Request(f"{base_url}/line/webhook/", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Line-Signature": signature})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status


def test_an_officer_links_line_on_a_phone(browser, live_server, committed_demo, line_api, shots):  # noqa: F811
    context, page = session(browser, live_server, "bk-responsible", "phone")
    page.goto(f"{live_server.url}/account/notifications/")
    assert page.locator("[data-line-link=off]").count() == 1
    page.locator("form[action='/account/notifications/code/'] button").click()
    code = page.locator("[data-line-code]").inner_text().strip()
    assert code.startswith("ITA-") and page.locator("[data-add-friend]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots(page, "line-code-phone")

    # The officer adds the account and sends the code in LINE; LINE posts both to the webhook.
    assert webhook(live_server.url, event("follow", user_source("Uchatchai"), replyToken="r", follow={"isUnblocked": False})) == 200
    assert webhook(live_server.url, text(user_source("Uchatchai"), code)) == 200
    assert any("เชื่อม" in reply for reply in line_api.replies())  # LINE answered in Thai

    page.reload()
    page.wait_for_selector("[data-line-link=on]")
    shots(page, "line-linked-phone")
    officer = get_user_model().objects.get(username="bk-responsible")
    assert MessagingProfile.objects.get(user=officer).line_user_id == "Uchatchai"
    context.close()
