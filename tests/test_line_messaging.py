"""LINE messages from the unit's Official Account, e-mail as the fallback, reminders before deadlines
(issue 23). The portal talks to a real HTTP server on loopback that speaks the Messaging API endpoints
it calls (the SDK's host points there) and records what it received; webhooks are posted signed with
the channel secret (or badly signed) to /line/webhook/."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery import current_app
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from oit_items.evidence import deadline_reminders, notifications
from oit_items.evidence.models import ItemPeriod
from oit_items.tasks import send_deadline_reminders
from units import messaging
from units.messaging_models import (
    BOTH,
    DEADLINE,
    DIGEST,
    EMAIL,
    KIND_CHOICES,
    LINE,
    RETURNED,
    LineGroup,
    LinkCode,
    Message,
    MessagingProfile,
)
from units.tasks import LINE_RETRIES, release_line_messages

SECRET, TOKEN = "test-channel-secret", "test-channel-token"
DIVISION_SECRET, DIVISION_TOKEN = "division-channel-secret", "division-channel-token"  # บก.น.4's own account
PORTS = range(8171, 8180)
D = datetime.date


class LineApi:
    """A Messaging API on loopback: answers push and reply as LINE does, or with the statuses queued
    in `answers` (one per request), and keeps every request it received."""

    def __init__(self):
        self.received, self.answers, self.lock = [], [], threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with api.lock:
                    status = api.answers.pop(0) if api.answers else 200
                    api.received.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body),
                                         "status": status})
                if self.headers.get("Authorization") not in (f"Bearer {TOKEN}", f"Bearer {DIVISION_TOKEN}"):
                    status = 401
                payload = (json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]}) if status == 200
                           else json.dumps({"message": "error"})).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if status == 429:
                    self.send_header("Retry-After", "1")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        for port in PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            pytest.fail("no free port in 8171-8179")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pushes(self, to=None) -> list:
        return [r for r in self.received if r["path"] == "/v2/bot/message/push" and r["status"] == 200
                and (to is None or r["json"]["to"] == to)]

    def replies(self) -> list[str]:
        return [r["json"]["messages"][0]["text"] for r in self.received if r["path"] == "/v2/bot/message/reply"]


@pytest.fixture(scope="module")
def line_server():
    api = LineApi()
    yield api
    api.server.shutdown()
    api.server.server_close()


@pytest.fixture
def line_api(line_server, settings, monkeypatch):
    # As in a worker: a task's retry runs again (eager tasks otherwise raise Retry to the caller).
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    line_server.received.clear()
    line_server.answers.clear()
    settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN = SECRET, TOKEN
    settings.LINE_API_HOST, settings.LINE_BOT_BASIC_ID = line_server.url, "@itaportal"
    settings.LINE_MAX_PER_SECOND = 10000
    mail.outbox.clear()
    yield line_server
    cache.clear()  # the digest's once-a-day marks would silence other modules' digests of the same day


def event(kind, source, **fields):
    base = {"type": kind, "mode": "active", "timestamp": 1700000000000, "webhookEventId": "01H00000000000000000000000",
            "deliveryContext": {"isRedelivery": False}, "source": source}
    return {**base, **fields}


def user_source(line_id):
    return {"type": "user", "userId": line_id}


def group_source(group_id):
    return {"type": "group", "groupId": group_id, "userId": "Uanyone"}


def text(source, words):
    return event("message", source, replyToken="reply-token",
                 message={"type": "text", "id": "1", "quoteToken": "q", "text": words})


def post(client, *events, secret=SECRET, signature=None, url=None):
    body = json.dumps({"destination": "Ubot", "events": list(events)})
    if signature is None:
        signature = base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()
    headers = {"HTTP_X_LINE_SIGNATURE": signature} if signature else {}
    return client.post(url or reverse("line-webhook"), body, content_type="application/json", **headers)


def link(user, line_id, **channels) -> MessagingProfile:
    profile, _created = MessagingProfile.objects.get_or_create(user=user)
    profile.line_user_id, profile.linked_at, profile.channels = line_id, timezone.now(), channels
    profile.save()
    return profile


# --- without settings: e-mail as today ------------------------------------------------------------

def test_without_the_settings_line_is_hidden_and_email_works_as_today(client, users, settings):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    client.force_login(users["responsible"])
    assert "/account/notifications/" not in client.get(reverse("my-work")).content.decode()
    assert client.get(reverse("line-settings")).status_code == 404
    assert client.post(reverse("line-webhook"), "{}", content_type="application/json").status_code == 404
    link(users["responsible"], "Ubk-responsible", **{DEADLINE: LINE})
    mail.outbox.clear()
    assert messaging.deliver(users["responsible"], DEADLINE, "ส่ง O7", "เนื้อหา", "https://x/o7/") == 1
    assert [m.to for m in mail.outbox] == [["bk-responsible@demo.ita-portal.local"]]
    assert not Message.objects.filter(channel=LINE).exists()


# --- linking from the profile -------------------------------------------------------------------

def test_an_officer_links_line_with_a_one_time_code_from_a_phone(client, users, line_api):
    client.force_login(users["responsible"])
    page = client.get(reverse("line-settings")).content.decode()
    assert 'name="viewport"' in page and 'data-line-link="off"' in page
    assert client.post(reverse("line-code")).status_code == 302
    code = LinkCode.objects.get(user=users["responsible"], used_at=None)
    page = client.get(reverse("line-settings")).content.decode()
    assert code.code in page and "https://line.me/R/ti/p/@itaportal" in page and "data:image/svg+xml" in page

    assert post(client, event("follow", user_source("Uchatchai"), replyToken="r", follow={"isUnblocked": False})).status_code == 200
    assert post(client, text(user_source("Uchatchai"), f"  {code.code.lower()} ")).status_code == 200
    profile = MessagingProfile.objects.get(user=users["responsible"])
    assert profile.line_user_id == "Uchatchai"
    assert "เชื่อม" in line_api.replies()[-1]
    assert 'data-line-link="on"' in client.get(reverse("line-settings")).content.decode()

    # single use: the same code again, from another LINE account, links nobody
    post(client, text(user_source("Ustranger"), code.code))
    assert "ไม่ถูกต้อง" in line_api.replies()[-1]
    assert not MessagingProfile.objects.filter(line_user_id="Ustranger").exists()

    client.post(reverse("line-unlink"))
    assert MessagingProfile.objects.get(user=users["responsible"]).line_user_id is None


def test_an_unknown_or_expired_code_gets_a_thai_answer_and_links_nothing(client, users, line_api):
    expired = LinkCode.issue(users["responsible"])
    LinkCode.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    post(client, text(user_source("U1"), expired.code), text(user_source("U1"), "ITA-ZZZZZZ"),
         text(user_source("U1"), "สวัสดีครับ"))
    assert line_api.replies() == ["รหัสนี้ไม่ถูกต้องหรือหมดอายุแล้ว ขอรหัสใหม่ได้ที่ระบบ ITA Portal"] * 3
    assert not MessagingProfile.objects.exclude(line_user_id=None).exists()
    fresh = LinkCode.issue(users["responsible"])
    LinkCode.issue(users["responsible"])  # a newer code replaces it
    post(client, text(user_source("U1"), fresh.code))
    assert not MessagingProfile.objects.exclude(line_user_id=None).exists()


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU="])
def test_a_badly_signed_webhook_is_refused_and_nothing_stored(client, users, line_api, signature):
    code = LinkCode.issue(users["responsible"])
    response = post(client, text(user_source("Uevil"), code.code), signature=signature)
    assert response.status_code == (400 if not signature else 401)
    response = post(client, text(user_source("Uevil"), code.code), secret="another-channel")
    assert response.status_code == 401
    assert not MessagingProfile.objects.filter(line_user_id="Uevil").exists()
    assert LinkCode.objects.get(pk=code.pk).used_at is None and line_api.received == []


def test_blocking_the_account_unlinks_and_email_is_used_from_then_on(client, users, line_api,
                                                                      django_capture_on_commit_callbacks):
    link(users["responsible"], "Uchatchai", **{RETURNED: LINE})
    post(client, event("unfollow", user_source("Uchatchai")))
    assert MessagingProfile.objects.get(user=users["responsible"]).line_user_id is None
    with django_capture_on_commit_callbacks(execute=True):
        messaging.deliver(users["responsible"], RETURNED, "ส่งกลับ O7", "แก้ไข", "https://x/o7/", key="k1")
    assert line_api.pushes() == [] and [m.to for m in mail.outbox] == [["bk-responsible@demo.ita-portal.local"]]


def test_a_unit_admin_links_the_units_group_and_others_may_not(client, users, station, line_api):
    client.force_login(users["controller"])
    assert client.post(reverse("line-group-code", args=[station.slug])).status_code == 404
    client.force_login(users["other-admin"])
    assert client.post(reverse("line-group-code", args=[station.slug])).status_code in (403, 404)
    client.force_login(users["admin"])
    client.post(reverse("line-group-code", args=[station.slug]))
    code = LinkCode.objects.get(user=users["admin"], unit=station)
    assert code.code in client.get(reverse("line-settings")).content.decode()

    post(client, event("join", group_source("Cbuengkum"), replyToken="r"))
    post(client, text(group_source("Cbuengkum"), "ประชุมพรุ่งนี้ 0900"))  # the group's own talk: ignored
    assert len(line_api.replies()) == 1 and not LineGroup.objects.exists()
    post(client, text(user_source("Uadmin"), code.code))  # a group code works only in a group
    assert not MessagingProfile.objects.filter(line_user_id="Uadmin").exists()
    post(client, text(group_source("Cbuengkum"), code.code))
    group = LineGroup.objects.get(unit=station)
    assert group.group_id == "Cbuengkum" and group.linked_by == users["admin"]
    assert "สน.บึงกุ่ม" in line_api.replies()[-1]
    post(client, event("leave", group_source("Cbuengkum")))
    assert not LineGroup.objects.exists()


def test_each_person_chooses_the_channel_per_kind_and_quiet_hours(client, users, station, line_api):
    client.force_login(users["controller"])
    data = {**{f"kind_{kind}": LINE for kind, _label in KIND_CHOICES}, "kind_digest": EMAIL,
            "quiet_from": "22:00", "quiet_to": ""}
    assert "กรุณาระบุทั้งเวลาเริ่ม" in client.post(reverse("line-settings"), data).content.decode()
    data["quiet_to"] = "06:00"
    assert client.post(reverse("line-settings"), data).status_code == 302
    profile = MessagingProfile.objects.get(user=users["controller"])
    assert profile.channel(DIGEST) == EMAIL and profile.channel(RETURNED) == LINE
    assert (profile.quiet_from, profile.quiet_to) == (datetime.time(22, 0), datetime.time(6, 0))
    assert client.post(reverse("line-group-unlink", args=[station.slug])).status_code == 404  # not its admin
    LineGroup.objects.create(unit=station, group_id="Cbuengkum")
    client.force_login(users["admin"])
    assert 'data-line-group="sn-buengkum"' in client.get(reverse("line-settings")).content.decode()
    client.post(reverse("line-group-unlink", args=[station.slug]))
    assert not LineGroup.objects.exists()


# --- what is sent where -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [k for k, _label in KIND_CHOICES])
@pytest.mark.parametrize("channel", [EMAIL, LINE, BOTH])
def test_every_kind_goes_on_the_chosen_channel(users, line_api, django_capture_on_commit_callbacks, kind, channel):
    link(users["responsible"], "Uchatchai", **{kind: channel})
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.deliver(users["responsible"], kind, "[ITA] สน.บึงกุ่ม O7", "เนื้อหายาว",
                                 "https://portal.example/o7/", key=f"t:{kind}") == 1
    pushes = line_api.pushes("Uchatchai")
    assert len(pushes) == (0 if channel == EMAIL else 1)
    assert len(mail.outbox) == (0 if channel == LINE else 1)
    if pushes:
        assert pushes[0]["json"]["messages"] == [{"type": "text", "text": "[ITA] สน.บึงกุ่ม O7\nhttps://portal.example/o7/"}]
        assert Message.objects.get(channel=LINE).status == Message.SENT


def test_a_returned_item_reaches_the_officer_on_line_with_the_comment_and_link(users, station, o7, line_api,
                                                                                django_capture_on_commit_callbacks):
    period, _created = ItemPeriod.objects.get_or_create(unit=station, item=o7, month=D(2023, 10, 1))
    link(users["responsible"], "Uchatchai", **{RETURNED: LINE})
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_transition_mail(period.pk, "return", users["controller"].pk, "ขาดลายมือชื่อ", key="job-1")
        notifications.send_transition_mail(period.pk, "return", users["controller"].pk, "ขาดลายมือชื่อ", key="job-1")
    (push,) = line_api.pushes("Uchatchai")  # the retried job sends nothing twice
    message = push["json"]["messages"][0]["text"]
    assert "O7" in message and "ขาดลายมือชื่อ" in message and "/staff/units/sn-buengkum/ita/2567/o7/" in message
    assert mail.outbox == []


def test_the_daily_digest_on_line_and_the_units_group_gets_the_summary(users, station, line_api,
                                                                       django_capture_on_commit_callbacks):
    link(users["responsible"], "Uchatchai", **{DIGEST: LINE})
    LineGroup.objects.create(unit=station, group_id="Cbuengkum")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_unit_digest(station.pk, D(2024, 1, 5))
    assert len(line_api.pushes("Uchatchai")) == 1
    (summary,) = line_api.pushes("Cbuengkum")
    assert "เกินกำหนด" in summary["json"]["messages"][0]["text"]
    assert "bk-responsible@demo.ita-portal.local" not in [a for m in mail.outbox for a in m.to]


def test_headquarters_reminder_reaches_the_units_group(client, users, station, line_api,
                                                       django_capture_on_commit_callbacks):
    LineGroup.objects.create(unit=station, group_id="Cbuengkum")
    client.force_login(users["hq-supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("overview-remind", args=["rtp", 2567]))
    (push,) = line_api.pushes("Cbuengkum")
    assert "/staff/units/sn-buengkum/ita/2567/" in push["json"]["messages"][0]["text"]
    assert mail.outbox  # the admins still have their e-mail


def test_quiet_hours_hold_line_messages_until_they_end(users, line_api, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    profile = link(users["responsible"], "Uchatchai", **{DEADLINE: LINE})
    profile.quiet_from, profile.quiet_to = datetime.time(22, 0), datetime.time(6, 0)
    profile.save()
    night = timezone.make_aware(datetime.datetime(2024, 11, 21, 23, 30))
    monkeypatch.setattr(timezone, "now", lambda: night)
    with django_capture_on_commit_callbacks(execute=True):
        messaging.deliver(users["responsible"], DEADLINE, "ใกล้ครบกำหนด", "", "https://x/", key="q1")
        assert messaging.release_held(night + datetime.timedelta(hours=6)) == 0  # 05:30: still quiet
    assert line_api.pushes() == [] and Message.objects.get().status == Message.HELD
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.release_held(night + datetime.timedelta(hours=7)) == 1
    assert len(line_api.pushes("Uchatchai")) == 1 and Message.objects.get().status == Message.SENT


# --- failures: retries, then e-mail -------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 429])
def test_past_the_retries_the_message_goes_by_email_instead(users, line_api, status,
                                                            django_capture_on_commit_callbacks):
    link(users["responsible"], "Uchatchai", **{RETURNED: LINE})
    line_api.answers.extend([status] * (LINE_RETRIES + 1))
    with django_capture_on_commit_callbacks(execute=True):
        messaging.deliver(users["responsible"], RETURNED, "ส่งกลับ O7", "เนื้อหาเต็ม", "https://x/o7/", key="f1")
    attempts = [r for r in line_api.received if r["path"] == "/v2/bot/message/push"]
    assert len(attempts) == LINE_RETRIES + 1
    assert len({r["headers"]["X-Line-Retry-Key"] for r in attempts}) == 1  # LINE drops a repeated push
    message = Message.objects.get(channel=LINE)
    assert message.status == Message.FALLBACK and str(status) in message.error
    assert [(m.to, m.body) for m in mail.outbox] == [(["bk-responsible@demo.ita-portal.local"], "เนื้อหาเต็ม")]


def test_a_passing_failure_is_retried_and_sent_once(users, line_api, django_capture_on_commit_callbacks):
    link(users["responsible"], "Uchatchai", **{RETURNED: LINE})
    link(users["controller"], "Uwittaya", **{RETURNED: LINE})
    line_api.answers.extend([200, 503])  # the second of the batch fails once
    with django_capture_on_commit_callbacks(execute=True):
        messaging.deliver([users["responsible"], users["controller"]], RETURNED, "ส่งกลับ", "", "", key="f2")
    assert len(line_api.pushes("Uchatchai")) == 1 and len(line_api.pushes("Uwittaya")) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {Message.SENT} and mail.outbox == []


def test_a_refused_message_goes_by_email_at_once_but_not_twice_to_who_takes_both(users, line_api,
                                                                                 django_capture_on_commit_callbacks):
    link(users["responsible"], "Uchatchai", **{RETURNED: LINE})
    link(users["controller"], "Uwittaya", **{RETURNED: BOTH})
    line_api.answers.extend([400, 400])  # e.g. the user ID is no longer valid: no retry
    with django_capture_on_commit_callbacks(execute=True):
        messaging.deliver([users["responsible"], users["controller"]], RETURNED, "ส่งกลับ", "เนื้อหา", "", key="f3")
    assert len([r for r in line_api.received if r["path"] == "/v2/bot/message/push"]) == 2
    assert sorted(a for m in mail.outbox for a in m.to) == ["bk-controller@demo.ita-portal.local",
                                                           "bk-responsible@demo.ita-portal.local"]
    assert dict(Message.objects.filter(channel=LINE).values_list("to", "status")) == {
        "Uchatchai": Message.FALLBACK, "Uwittaya": Message.FAILED}


def test_messages_go_in_batches(users, line_api, django_capture_on_commit_callbacks):
    from units import enqueue

    link(users["responsible"], "Uchatchai")
    messages_ = [Message.objects.create(key=f"b{i}", channel=LINE, kind=DEADLINE, user=users["responsible"],
                                        to="Uchatchai", subject="s", text="t") for i in range(enqueue.LINE_BATCH + 5)]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        enqueue.line_messages([m.pk for m in messages_])
    assert len(queued) == 2 and len(line_api.pushes()) == enqueue.LINE_BATCH + 5


# --- reminders before deadlines -----------------------------------------------------------------

REMINDER_DAYS = {  # O7 of October 2566 is due on 28 November 2566
    D(2023, 11, 21): "7", D(2023, 11, 27): "1", D(2023, 11, 29): "overdue",
    D(2023, 11, 20): None, D(2023, 11, 22): None, D(2023, 11, 28): None, D(2023, 11, 30): None,
}


@pytest.mark.parametrize("day", REMINDER_DAYS)
def test_reminders_come_7_days_and_1_day_before_and_on_the_day_it_becomes_overdue(users, station, o7, day, monkeypatch,
                                                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)  # the clock beat reads
    link(users["responsible"], "Uchatchai", **{DEADLINE: LINE})
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders.delay().get()
    october = [stage for user, lines in deadline_reminders.due_lines(station, day).items()
               for stage, cell, _fy in lines if cell.item == o7 and cell.month == D(2023, 10, 1)]
    expected = REMINDER_DAYS[day]
    assert october == ([expected, expected] if expected else [])  # the responsible officer and the controller
    to_controller = [m for m in mail.outbox if m.to == ["bk-controller@demo.ita-portal.local"]]
    if expected:
        assert len(to_controller) == 1 and "O7 ต.ค.66" in to_controller[0].body
        assert "28 พ.ย. 2566" in to_controller[0].body


def test_no_reminder_twice_after_a_beat_restart(users, line_server, settings, monkeypatch,
                                                django_capture_on_commit_callbacks):
    line_api = line_server
    line_api.received.clear()
    settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN, settings.LINE_API_HOST = SECRET, TOKEN, line_api.url
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2023, 11, 27))
    link(users["responsible"], "Uchatchai", **{DEADLINE: LINE})
    mail.outbox.clear()
    for _restart in range(2):  # beat runs the morning's job again after a restart
        with django_capture_on_commit_callbacks(execute=True):
            send_deadline_reminders.delay().get()
        with django_capture_on_commit_callbacks(execute=True):
            release_line_messages.delay().get()
    assert len(line_api.pushes("Uchatchai")) == 1
    assert len([m for m in mail.outbox if m.to == ["bk-controller@demo.ita-portal.local"]]) == 1
    assert Message.objects.filter(key=f"deadline:{users['responsible'].officer.unit_id}:2023-11-27").count() == 2


# --- headquarters see who is reachable ----------------------------------------------------------

def test_headquarters_see_per_unit_how_many_officers_linked_line(client, users, line_api, django_assert_max_num_queries):
    link(users["responsible"], "Uchatchai")
    client.force_login(users["hq-supervisor"])
    assert reverse("overview-line", args=["rtp"]) in client.get(reverse("overview", args=["rtp"])).content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("overview-line", args=["rtp"])).content.decode()
    assert 'data-linked="1"' in page and "data-line-links" in page
    client.force_login(users["responsible"])
    assert client.get(reverse("overview-line", args=["rtp"])).status_code in (403, 404)


def test_staff_find_every_message_in_the_admin(client, superuser, users):
    Message.objects.create(key="k", channel=LINE, kind=DEADLINE, user=users["responsible"], to="Uchatchai",
                           subject="[ITA] ใกล้ครบกำหนด", text="t", status=Message.FALLBACK)
    client.force_login(superuser)
    page = client.get(reverse("admin:units_message_changelist") + "?status=fallback").content.decode()
    assert "Uchatchai" in page and "ส่งทางอีเมลแทน" in page


def test_a_supervising_unit_runs_its_own_account_for_the_units_below(client, users, line_api, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.LINE_CHANNELS = {"mpd-4": {"secret": DIVISION_SECRET, "token": DIVISION_TOKEN, "basic_id": "@mpd4"}}
    client.force_login(users["responsible"])  # สน.บึงกุ่ม, below บก.น.4
    assert "https://line.me/R/ti/p/@mpd4" in client.get(reverse("line-settings")).content.decode()
    client.force_login(users["other-responsible"])  # ตม.จว.บึงกาฬ: the national account
    assert "https://line.me/R/ti/p/@itaportal" in client.get(reverse("line-settings")).content.decode()

    code = LinkCode.issue(users["responsible"])
    division = reverse("line-webhook-unit", args=["mpd-4"])
    assert post(client, text(user_source("Uchatchai"), code.code), url=division).status_code == 401  # national secret
    assert post(client, text(user_source("Uchatchai"), code.code), url=division, secret=DIVISION_SECRET).status_code == 200
    assert post(client, text(user_source("U"), "x"), url=reverse("line-webhook-unit", args=["mpd-9"])).status_code == 404
    profile = MessagingProfile.objects.get(user=users["responsible"])
    assert (profile.line_user_id, profile.account) == ("Uchatchai", "mpd-4")
    with django_capture_on_commit_callbacks(execute=True):
        messaging.deliver(users["responsible"], DEADLINE, "ใกล้ครบกำหนด", "", "https://x/", key="div-1")
    (push,) = line_api.pushes("Uchatchai")
    assert push["headers"]["Authorization"] == f"Bearer {DIVISION_TOKEN}"
    assert line_api.received[0]["headers"]["Authorization"] == f"Bearer {DIVISION_TOKEN}"  # the reply, too
    # blocking the national account does not unlink a link made on the division's
    post(client, event("unfollow", user_source("Uchatchai")))
    assert MessagingProfile.objects.get(user=users["responsible"]).linked
    post(client, event("unfollow", user_source("Uchatchai")), url=division, secret=DIVISION_SECRET)
    assert not MessagingProfile.objects.get(user=users["responsible"]).linked
