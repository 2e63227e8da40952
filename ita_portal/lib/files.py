"""Serving stored files through permission-checking views, from any storage.

Media URLs are never public: the view decides, then the bytes travel one of these ways
(FILE_SERVING), on the file system (the default) as on S3-compatible object storage:

- "django": the application streams the file from the storage.
- "nginx": X-Accel-Redirect. A local file goes to FILE_SERVING_INTERNAL_URL (an `internal`
  location aliased to MEDIA_ROOT); an object to FILE_SERVING_REMOTE_URL followed by a short-lived
  signed URL without its scheme (an `internal` location that proxies to it, see the README).
- "sendfile": X-Sendfile (Apache, lighttpd) for a local file; an object, which has no local path,
  gets the signed-URL redirect instead.
- "redirect": a redirect to a signed URL valid FILE_SERVING_URL_SECONDS (object storage; a local
  file is streamed, as the file system has no signed URLs).

Where an object's URL cannot be signed, every mode falls back to streaming it.

Files that anyone may fetch (published evidence, emblems) are served with `revalidated`: kept by
browsers and proxies, but asked for again on every use. No code path assumes a local `.path`. A file that the database names but the storage does not
have answers 404 and is logged as an error (someone must restore it), never a 500.
"""

import logging
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


def local_path(storage, name: str) -> str | None:
    """The file's path on this machine, or None where the storage has none (object storage)."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def signed_url(storage, name: str, disposition: str, content_type: str) -> str | None:
    """A short-lived URL of an object that carries its own download name and type."""
    try:
        return storage.url(name, parameters={"ResponseContentDisposition": disposition,
                                             "ResponseContentType": content_type},
                           expire=settings.FILE_SERVING_URL_SECONDS)
    except TypeError:  # a storage whose URLs cannot be signed
        return None


def _missing(name, filename):
    logger.error("stored file missing: %r (download name %r)", name, filename)
    return Http404("file not found")


def serve(field_file, filename: str, content_type: str, as_attachment: bool = True) -> HttpResponse:
    storage, name = field_file.storage, field_file.name
    try:
        present = bool(name) and storage.exists(name)
    except OSError:
        present = False
    if not present:
        raise _missing(name, filename)
    disposition = content_disposition_header(as_attachment, filename)
    mode, path = settings.FILE_SERVING, local_path(storage, name)
    response = None
    url = signed_url(storage, name, disposition, content_type) if path is None and mode != "django" else None
    if url and mode in ("redirect", "sendfile"):
        response = HttpResponseRedirect(url)
    elif mode == "nginx" and path is not None:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(settings.FILE_SERVING_INTERNAL_URL + name)
    elif mode == "nginx" and url:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.FILE_SERVING_REMOTE_URL + url.split("://", 1)[1]
    elif mode == "sendfile" and path is not None:
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = path
    if response is None:
        try:
            stream = storage.open(name, "rb")
        except OSError:
            raise _missing(name, filename)
        response = FileResponse(stream, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# A published file keeps its URL while what it may answer changes: a takedown makes it 404, a new
# emblem replaces the old one under the same address. Kept for a while ("max-age"), a browser would
# show a photo taken down a moment ago, so caches keep the bytes but ask first each time: an answer
# of 304 (no bytes) while the ETag is the same, the new file or the 404 once not.
REVALIDATE_PUBLIC = "public, no-cache"
REVALIDATE_STAFF = "private, no-cache"  # a signed-in person's answer is theirs, never a shared cache's


def revalidated(request, etag: str, field_file, filename: str, content_type: str, as_attachment: bool = True) -> HttpResponse:
    """`serve`, with `etag` (the file's content hash) for conditional requests: a 304 while it is
    unchanged, never reused without asking. Signed redirects keep `serve`'s "private, no-store"."""
    tag = f'"{etag}"'
    response = get_conditional_response(request, etag=tag)
    if response is None:
        response = serve(field_file, filename, content_type, as_attachment)
        if response.status_code != 200:
            return response
    response["ETag"] = tag
    response["Cache-Control"] = REVALIDATE_STAFF if request.user.is_authenticated else REVALIDATE_PUBLIC
    patch_vary_headers(response, ("Cookie",))  # staff and public answers differ in Cache-Control
    return response
