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
"""

import logging
import threading
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import transaction

logger = logging.getLogger(__name__)
_local = threading.local()


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
    field_file = getattr(instance, file_field)
    field_file.save(f"upload.{validated.extension}", ContentFile(validated.content), save=False)
    remember(field_file)
    if thumbnail_field and validated.thumbnail:
        thumbnail = getattr(instance, thumbnail_field)
        thumbnail.save("thumb.jpg", ContentFile(validated.thumbnail), save=False)
        remember(thumbnail)


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
        except OSError:  # the storage is down: the file stays an orphan, and we say so
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
