"""Files written for a transaction that does not commit are deleted again.

A stored file is not part of the database transaction: if the transaction rolls back (a
conflict, a refused row, a worker killed), the file would stay in the storage with nothing
pointing at it. `atomic()` is `transaction.atomic()` that deletes, through the storage API, every
file `remember()`ed inside it when it fails. Nested blocks clean up what they wrote themselves; a
file written inside a transaction that is not ours and rolls back is found at the start of the next
outermost block (it is still remembered because only a commit forgets: `on_commit`).
"""

import logging
import threading
from contextlib import contextmanager

from django.db import transaction

logger = logging.getLogger(__name__)
_local = threading.local()


def _written() -> list:
    if not hasattr(_local, "files"):
        _local.files = []
    return _local.files


def remember(field_file) -> None:
    """Call right after saving a file inside `atomic()`."""
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
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete(written[start:])
        del written[start:]
        raise
