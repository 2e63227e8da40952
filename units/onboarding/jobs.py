"""Imports as background jobs (a national file takes longer than a web request may), and the
same work in the foreground for the management command and the demo loader."""

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units import enqueue
from units.models import ImportBatch, random_name
from units.onboarding import applying, reader
from units.onboarding.checking import Check

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class System:
    """The importer of the management command and the demo loader: shell access, every right."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True


def run(files, user=None, apply: bool = False, invite: bool = True) -> tuple[Check, dict | None]:
    """Check [(name, bytes)]; with `apply`, apply when nothing is refused. Raises reader.FileProblem."""
    check = Check(user or System(), reader.read(files)).run()
    if apply and not check.refused:
        return check, applying.apply(check, by=user, invite=invite)
    return check, None


def start(user, uploaded_files, invite: bool = True) -> ImportBatch:
    stored = []
    for uploaded in uploaded_files:
        path = default_storage.save(random_name("imports", uploaded.name), ContentFile(uploaded.read()))
        stored.append({"name": uploaded.name, "path": path})
    batch = ImportBatch.objects.create(uploaded_by=user, files=stored, invite=invite)
    enqueue.import_check(batch.pk)
    return batch


def request_apply(batch) -> bool:
    with transaction.atomic():
        updated = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.CHECKED).update(state=ImportBatch.APPLYING)
        if updated:
            enqueue.import_apply(batch.pk)
    return bool(updated)


def _files(batch):
    files = []
    for entry in batch.files:
        with default_storage.open(entry["path"], "rb") as handle:
            files.append((entry["name"], handle.read()))
    return files


def _record(batch, check, state):
    batch.summary, batch.report, batch.state = check.summary, [r.as_json() for r in check.results], state


def _unexpected() -> str:
    """The error of a batch stopped by a bug: a batch left busy would never let its uploader go on."""
    return _("The error has been recorded. Please try again in a moment; what you sent may not have been saved.")


def check(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.state != ImportBatch.CHECKING:
        return batch.state
    try:
        result = Check(batch.uploaded_by, reader.read(_files(batch))).run()
    except reader.FileProblem as problem:
        batch.state, batch.error = ImportBatch.FAILED, str(problem)
    except OperationalError:
        raise  # the database is away: the task retries
    except Exception:
        logger.exception("import batch %s: the check failed", batch_id)
        batch.state, batch.error = ImportBatch.FAILED, _unexpected()
    else:
        _record(batch, result, ImportBatch.CHECKED)
    batch.checked_at = timezone.now()
    batch.save()
    return batch.state


def apply(batch_id: int) -> str:
    """Check again on what the database holds now, then apply all or nothing."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().select_related("uploaded_by").get(pk=batch_id)
            if batch.state != ImportBatch.APPLYING:
                return batch.state
            result = Check(batch.uploaded_by, reader.read(_files(batch))).run()
            if result.refused:
                _record(batch, result, ImportBatch.CHECKED)
                batch.error = _("The portal changed since the dry run and some rows are now refused; nothing was applied.")
            else:
                applying.apply(result, by=batch.uploaded_by, invite=batch.invite)
                _record(batch, result, ImportBatch.APPLIED)
                batch.applied_at, batch.error = timezone.now(), ""
            batch.save()
            return batch.state
    except reader.FileProblem as problem:
        ImportBatch.objects.filter(pk=batch_id).update(state=ImportBatch.FAILED, error=str(problem))
        return ImportBatch.FAILED
    except OperationalError:
        raise  # the database is away: the task retries
    except Exception:
        logger.exception("import batch %s: applying failed (nothing was applied)", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(state=ImportBatch.FAILED, error=_unexpected())
        return ImportBatch.FAILED
