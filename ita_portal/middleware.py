from django.conf import settings
from django.http.multipartparser import MultiPartParser
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the user chose otherwise with the language switcher (cookie).

    Django's own middleware would follow the browser's Accept-Language, which is English on
    most office machines; the portal is Thai first.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language


class RecordingMultiPartParser(MultiPartParser):
    """Django's parser reduces "../../etc/x.pdf" to "x.pdf" before any view sees it. That keeps
    the server safe, but the officer should be told that such a name is refused, not have it
    silently changed; so the names it had to sanitise are remembered for the view."""

    def __init__(self, *args, unsafe_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsafe_names = unsafe_names

    def sanitize_file_name(self, file_name):
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
