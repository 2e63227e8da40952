import re

from django.conf import settings
from django.http import HttpResponseRedirect
from django.http.multipartparser import MultiPartParser
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from ita_portal.lib import languages
from ita_portal.lib.site import serving


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """The language of a page is in its address: Thai unprefixed, English under /en/
    (ita_portal.lib.languages) — never the browser's Accept-Language, which is English on most
    office machines while the portal is Thai first.

    A reader who chose English with the switcher (its cookie) and follows a Thai address of a page
    (a link in an e-mail, a bookmark) is sent to the English one; a form sent to a Thai address is
    answered in Thai rather than lost to a redirect."""

    def process_request(self, request):
        language = languages.language_of(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen != language and chosen in dict(settings.LANGUAGES) and language == settings.LANGUAGE_CODE \
                and request.method in ("GET", "HEAD"):
            target = languages.translated(request.get_full_path(), chosen)
            if target:
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Cookie",))
                response["Cache-Control"] = "private, no-cache"
                return response
        return None

    def process_response(self, request, response):
        # Django's would add `Vary: Accept-Language`, splitting shared caches by a header the portal ignores.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# Browsers write a file name into multipart/form-data with these characters percent-encoded (the
# HTML standard's rule: `"` as %22, CR as %0D, LF as %0A) and nothing else, so `ใบเสร็จ "ก".pdf`
# arrives as `ใบเสร็จ %22ก%22.pdf`. Decoded here, the name is kept as the person typed it.
BROWSER_ESCAPES = re.compile("%(22|0d|0a)", re.I)


def browser_file_name(name):
    return BROWSER_ESCAPES.sub(lambda m: chr(int(m.group(1), 16)), name) if name else name


class RecordingMultiPartParser(MultiPartParser):
    """Django's parser reduces "../../etc/x.pdf" to "x.pdf" before any view sees it. That keeps
    the server safe, but the officer should be told that such a name is refused, not have it
    silently changed; so the names it had to sanitise are remembered for the view. It also undoes
    the browser's escaping of the name (`browser_file_name`)."""

    def __init__(self, *args, unsafe_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsafe_names = unsafe_names

    def sanitize_file_name(self, file_name):
        file_name = browser_file_name(file_name)
        cleaned = super().sanitize_file_name(file_name)
        if cleaned != file_name:
            self.unsafe_names.append(file_name)
        return cleaned


def record_unsafe_upload_names(get_response):
    """Gives each request `unsafe_upload_names`: upload names that were paths or otherwise unsafe."""

    def middleware(request):
        request.unsafe_upload_names = []

        def parse_file_upload(META, post_data):
            parser = RecordingMultiPartParser(META, post_data, request.upload_handlers, request.encoding,
                                              unsafe_names=request.unsafe_upload_names)
            return parser.parse()

        request.parse_file_upload = parse_file_upload
        return get_response(request)

    return middleware


def site_url_from_request(get_response):
    """In development without SITE_URL, links and QR codes follow the address actually served
    (`make run PORT=8080`); in production SITE_URL is required (ita_portal.checks)."""
    if not settings.SITE_URL_FOLLOWS_REQUEST:
        from django.core.exceptions import MiddlewareNotUsed

        raise MiddlewareNotUsed


    def middleware(request):
        with serving(request.build_absolute_uri("/").rstrip("/")):
            return get_response(request)

    return middleware


SESSION_TOUCH_EVERY = 300  # seconds


def staff_session_timeout(get_response):
    """A signed-in session ends SESSION_COOKIE_AGE seconds after the *last* request (Django's
    default counts from the login). Saving the session slides its expiry; it is saved at most every
    few minutes, not on every request."""
    import time

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            if now - request.session.get("seen", 0) > SESSION_TOUCH_EVERY:
                request.session["seen"] = now
        return response

    return middleware
