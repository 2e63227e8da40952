"""Files written for a transaction that does not commit are deleted again; `store()` is the one way to
write a validated upload.

A stored file is not part of the database transaction: if the transaction rolls back (a
conflict, a refused row, a worker killed), the file would stay in the storage with nothing
pointing at it. `atomic()` is `transaction.atomic()` that deletes, through the storage API, every
file `remember()`ed inside it when it fails. Nested blocks clean up what they wrote themselves; a
file written inside a transaction that is not ours and rolls back is found at the start of the next
outermost block (it is still remembered because only a commit forgets: `on_commit`).

`store()` and `remember()` refuse to run outside `atomic()`: a file written there would outlive a
rollback, and that mistake is silent, so it is made loud.

A storage that cannot take a file (the disk full or over quota, the bucket unreachable) makes
`store()` raise `StorageFailed`, an `UploadRejected` whose message names the file in the user's
language: the name is remembered *before* the write, so the part of a file written before the
failure is deleted at once, and so is every file written earlier in the same `atomic()` block when
the caller lets the error roll it back. No file without its row, no row without its file.
"""

import logging
import threading
from contextlib import contextmanager

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.upload_base import UploadRejected, reject

try:  # object storage (S3): what boto3 and botocore raise when a request fails
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS = (OSError, Boto3Error, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is in requirements.txt; local disk only without it
    STORAGE_ERRORS = (OSError,)

logger = logging.getLogger(__name__)
_local = threading.local()


class StorageFailed(UploadRejected):
    """The storage refused a file (ENOSPC, EDQUOT, EFBIG, an S3 error); nothing of it is kept."""


def storage_failed(name: str) -> StorageFailed:
    failed = reject(_("%(name)s could not be stored: the portal's file storage is full or not answering. Nothing "
                      "was saved. Try again later; if it happens again, tell the portal's administrator."), name)
    return StorageFailed(failed.message)


def _written() -> list:
    if not hasattr(_local, "files"):
        _local.files = []
    return _local.files


def _refuse_outside_atomic() -> None:
    if not getattr(_local, "depth", 0):
        raise RuntimeError("stored.store() and stored.remember() run only inside stored.atomic(): outside it, a file "
                           "written for a transaction that rolls back stays in the storage with nothing pointing at it")


def store(instance, validated, file_field: str = "file", thumbnail_field: str | None = "thumbnail") -> None:
    """Write a `ValidatedFile` into the instance's file field, and its thumbnail (when it has one and
    the model keeps one) into `thumbnail_field`, through the storage API. The row is not saved.

    The names handed to `upload_to` are only "upload.<extension>" and "thumb.jpg": every `upload_to` of
    the project makes an unguessable name and keeps the extension at most (the original name is a
    column of the row)."""
    _refuse_outside_atomic()
    # A document is copied from the upload in chunks; a re-encoded image is written from memory.
    body = ContentFile(validated.body) if validated.body is not None else File(validated.source)
    _write(getattr(instance, file_field), f"upload.{validated.extension}", body, validated.original_name)
    if thumbnail_field and validated.thumbnail:
        _write(getattr(instance, thumbnail_field), "thumb.jpg", ContentFile(validated.thumbnail), validated.original_name)


def _write(field_file, filename: str, content: File, original_name: str) -> None:
    """`FieldFile.save(…, save=False)`, with the name chosen and remembered before the first byte is
    written: a write that fails halfway leaves part of a file under that name, deleted right here."""
    storage, field = field_file.storage, field_file.field
    pending = None
    try:
        name = storage.get_available_name(field.generate_filename(field_file.instance, filename),
                                          max_length=field.max_length)
        pending = (storage, name)
        _written().append(pending)
        saved = storage.save(name, content, max_length=field.max_length)
    except STORAGE_ERRORS as error:
        logger.error("the storage refused %r (%s): %s", original_name, type(error).__name__, error)
        if pending:
            _written().remove(pending)
            _delete([pending])
        raise storage_failed(original_name) from error
    _written().remove(pending)
    field_file.name = saved
    setattr(field_file.instance, field.attname, saved)
    field_file._committed = True
    remember(field_file)


def remember(field_file) -> None:
    """Call right after saving a file inside `atomic()`."""
    _refuse_outside_atomic()
    entry = (field_file.storage, field_file.name)
    _written().append(entry)
    transaction.on_commit(lambda: _forget(entry))


def _forget(entry) -> None:
    written = _written()
    if entry in written:
        written.remove(entry)


def _delete(entries) -> None:
    for storage, name in entries:
        try:
            storage.delete(name)
        except STORAGE_ERRORS:  # the storage is down: the file stays an orphan, and we say so
            logger.error("could not delete the file %r of a rolled-back transaction", name)


@contextmanager
def atomic():
    written = _written()
    if not transaction.get_connection().in_atomic_block and written:
        # No transaction is open, so whatever is still remembered belongs to one that did not commit.
        _delete(list(written))
        written.clear()
    start = len(written)
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete(written[start:])
        del written[start:]
        raise
    finally:
        _local.depth -= 1
