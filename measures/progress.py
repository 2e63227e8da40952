"""Recording progress on a measure or an activity: a dated text, photos and the new status."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import stored
from ita_portal.lib.uploads import UploadRejected, ValidatedFile, validate_upload
from measures.models import Measure, ProgressPhoto, ProgressUpdate, Tracked

MAX_PHOTOS = 10


def validate_photos(files) -> list[ValidatedFile]:
    """Each file checked by content like any evidence (re-encoded, metadata removed); only photos."""
    validated = []
    for uploaded in files:
        checked = validate_upload(uploaded)
        if checked.format != "image":
            raise UploadRejected(_("%(name)s is not a photo. Attach JPEG, PNG or WebP images here.") % {
                "name": checked.original_name})
        validated.append(checked)
    return validated


def set_status(target: Tracked, status: str) -> None:
    if status and status != target.status:
        target.status, target.status_changed_at = status, timezone.now()
        target.save(update_fields=["status", "status_changed_at"])


@stored.atomic()  # the update, its photos and the status together: a failure deletes the photos already written
def add_update(target: Tracked, user, date, text: str, status: str, photos: list[ValidatedFile] = (),
               caption: str = "") -> ProgressUpdate:
    is_measure = isinstance(target, Measure)
    update = ProgressUpdate.objects.create(
        measure=target if is_measure else None, activity=None if is_measure else target,
        date=date, text=text, status=status or target.status, created_by=user)
    for validated in photos:
        _store_photo(update, validated, caption)
    set_status(target, status)
    return update


def _store_photo(update: ProgressUpdate, validated: ValidatedFile, caption: str) -> ProgressPhoto:
    photo = ProgressPhoto(
        update=update, caption=caption[:300], original_name=validated.original_name, extension=validated.extension,
        content_type=validated.content_type, sha256=validated.sha256, width=validated.width, height=validated.height,
    )
    stored.store(photo, validated)
    photo.save()
    return photo
