"""Serving stored files through permission-checking views.

Media URLs are never public. By default Django streams the file; in production the web server can
do it after the view said yes (FILE_SERVING = "nginx": X-Accel-Redirect to an internal location
that maps to MEDIA_ROOT; "sendfile": X-Sendfile for Apache/lighttpd).
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def serve(field_file, filename: str, content_type: str, as_attachment: bool = True) -> HttpResponse:
    mode = settings.FILE_SERVING
    if mode == "django":
        response = FileResponse(field_file.open("rb"), as_attachment=as_attachment, filename=filename,
                                content_type=content_type)
    else:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        if mode == "nginx":
            response["X-Accel-Redirect"] = quote(settings.FILE_SERVING_INTERNAL_URL + field_file.name)
        else:
            response["X-Sendfile"] = field_file.path
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
