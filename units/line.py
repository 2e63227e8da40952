"""The LINE Messaging API through the official SDK (line-bot-sdk): push and reply a text, check a
webhook's signature. Configured by LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN; without them
`enabled()` is false and the portal hides its LINE parts. LINE_API_HOST points the SDK elsewhere (the
tests' local server)."""

import uuid

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

__all__ = ["InvalidSignatureError", "LineError", "enabled", "parse", "push", "reply"]

TIMEOUT = (3, 10)  # seconds to connect, to answer: a worker never hangs on the API
MAX_TEXT = 5000  # the API refuses longer texts


class LineError(Exception):
    """The API did not take a message. `transient` (429, 5xx, no answer) is worth retrying later;
    `retry_after` is the API's own advice in seconds, when it gave one."""

    def __init__(self, message: str, status: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


def enabled() -> bool:
    return bool(settings.LINE_CHANNEL_SECRET and settings.LINE_CHANNEL_ACCESS_TOKEN)


def add_friend_url() -> str:
    """The Official Account's add-friend link (shown as a QR code), when its basic ID is set."""
    basic_id = settings.LINE_BOT_BASIC_ID
    return f"https://line.me/R/ti/p/{basic_id}" if basic_id else ""


def _api() -> tuple[ApiClient, MessagingApi]:
    configuration = Configuration(host=settings.LINE_API_HOST, access_token=settings.LINE_CHANNEL_ACCESS_TOKEN)
    configuration.retries = urllib3.Retry(total=0, redirect=0)  # retries are the task's, with backoff
    client = ApiClient(configuration)
    return client, MessagingApi(client)


def _call(send) -> None:
    client, api = _api()
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


def push(to: str, text: str, key: str) -> None:
    request = PushMessageRequest(to=to, messages=[TextMessage(text=text[:MAX_TEXT])])
    _call(lambda api: api.push_message(request, x_line_retry_key=retry_key(key), _request_timeout=TIMEOUT))


def reply(reply_token: str, text: str) -> None:
    """Answer a webhook event; a failed answer is not worth a retry (the token lives a minute)."""
    request = ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text[:MAX_TEXT])])
    try:
        _call(lambda api: api.reply_message(request, _request_timeout=TIMEOUT))
    except LineError:
        pass


def parse(body: str, signature: str) -> list:
    """The webhook's events; InvalidSignatureError unless signed with the channel secret."""
    return WebhookParser(settings.LINE_CHANNEL_SECRET).parse(body, signature)
