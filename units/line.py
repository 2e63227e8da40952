"""The LINE Messaging API through the official SDK (line-bot-sdk): push and reply a text, check a
webhook's signature. The national Official Account is configured by LINE_CHANNEL_SECRET and
LINE_CHANNEL_ACCESS_TOKEN; a supervising unit that runs its own account is named in LINE_CHANNELS
(its slug → secret, token, basic ID) and serves the units below it. Without any `enabled()` is false
and the portal hides its LINE parts. LINE_API_HOST points the SDK elsewhere (the tests' local server).

A channel is named by "" (national) or the supervising unit's slug; a LINE user or group ID is only
good on the channel that received it, so links and messages keep that name (`account`)."""

import logging
import uuid
from dataclasses import dataclass

import urllib3
from django.conf import settings
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)

from units.models import Unit

__all__ = ["InvalidSignatureError", "LineError", "enabled", "parse", "push", "reply"]

log = logging.getLogger(__name__)

TIMEOUT = (3, 10)  # seconds to connect, to answer: a worker never hangs on the API
MAX_TEXT = 5000  # the API refuses longer texts


class LineError(Exception):
    """The API did not take a message. `transient` (429, 5xx, no answer) is worth retrying later;
    `retry_after` is the API's own advice in seconds, when it gave one."""

    def __init__(self, message: str, status: int | None = None, retry_after: int | None = None):
        super().__init__(message, status, retry_after)  # every argument, so that it pickles
        self.message, self.status, self.retry_after = message, status, retry_after

    def __str__(self):
        return self.message

    @property
    def transient(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


@dataclass(frozen=True)
class Channel:
    name: str  # "" national, else the supervising unit's slug
    secret: str
    token: str
    basic_id: str = ""

    @property
    def add_friend_url(self) -> str:
        """The account's add-friend link (shown as a QR code), when its basic ID is set."""
        return f"https://line.me/R/ti/p/{self.basic_id}" if self.basic_id else ""


def channels() -> dict[str, Channel]:
    found = {}
    if settings.LINE_CHANNEL_SECRET and settings.LINE_CHANNEL_ACCESS_TOKEN:
        found[""] = Channel("", settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN, settings.LINE_BOT_BASIC_ID)
    for slug, conf in (settings.LINE_CHANNELS or {}).items():
        if conf.get("secret") and conf.get("token"):
            found[slug] = Channel(slug, conf["secret"], conf["token"], conf.get("basic_id", ""))
    return found


def channel(name: str) -> Channel | None:
    return channels().get(name or "")


def enabled() -> bool:
    return bool(channels())


def channel_for_unit(unit) -> Channel | None:
    """The account of the nearest unit above (or the unit itself) that runs one, else the national one."""
    found = channels()
    named = [name for name in found if name]
    if named and unit is not None:
        slugs = dict(Unit.objects.filter(pk__in=unit.ancestor_ids, slug__in=named).values_list("pk", "slug"))
        for pk in reversed(unit.ancestor_ids):
            if pk in slugs:
                return found[slugs[pk]]
    return found.get("")


def _api(account: str = "") -> tuple[ApiClient, MessagingApi]:
    configured = channel(account)
    if configured is None:
        raise LineError(f"LINE channel {account!r} is not configured", status=400)
    configuration = Configuration(host=settings.LINE_API_HOST, access_token=configured.token)
    configuration.retries = urllib3.Retry(total=0, redirect=0)  # retries are the task's, with backoff
    client = ApiClient(configuration)
    return client, MessagingApi(client)


def _call(send, account: str) -> None:
    client, api = _api(account)
    try:
        with client:
            send(api)
    except ApiException as error:
        retry_after = dict(error.headers or {}).get("Retry-After")
        raise LineError(f"LINE API {error.status}: {(error.body or b'')[:200]!r}", error.status,
                        int(retry_after) if retry_after and str(retry_after).isdigit() else None) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise LineError(f"LINE API unreachable: {type(error).__name__}") from error


def retry_key(message_key: str) -> str:
    """The same UUID for every attempt of one message: the API itself drops a repeated push."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ita-portal:{message_key}"))


def push(to: str, text: str, key: str, account: str = "") -> None:
    request = PushMessageRequest(to=to, messages=[TextMessage(text=text[:MAX_TEXT])])
    _call(lambda api: api.push_message(request, x_line_retry_key=retry_key(key), _request_timeout=TIMEOUT), account)


def reply(reply_token: str, text: str, account: str = "") -> None:
    """Answer a webhook event; a failed answer is not worth a retry (the token lives a minute)."""
    request = ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text[:MAX_TEXT])])
    try:
        _call(lambda api: api.reply_message(request, _request_timeout=TIMEOUT), account)
    except LineError as error:
        log.warning("LINE reply not sent: %s", error)


def parse(body: str, signature: str, account: str = "") -> list:
    """The webhook's events; InvalidSignatureError unless signed with the channel's secret."""
    return WebhookParser(channel(account).secret).parse(body, signature)
