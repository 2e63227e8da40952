"""The photos of the head's briefing: attached on the plan's form, printed under the briefing's
caption at the end of the O24 document, as the seed has them."""

from django.db import transaction

from ita_portal.lib import stored
from ita_portal.lib.uploads import ValidatedFile
from measures.models import BriefingPhoto, MeasurePlan

MAX_PHOTOS = 12


@stored.atomic()  # the plan, its new photos and the removals together: a failure deletes the photos written
def save_plan(form, photos: list[ValidatedFile], caption: str, removed) -> MeasurePlan:
    plan = form.save()
    for photo in removed:
        name, storage = photo.file.name, photo.file.storage
        photo.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))  # the row gone for good first
    for validated in photos:
        photo = BriefingPhoto(plan=plan, caption=caption[:300], original_name=validated.original_name,
                              extension=validated.extension, content_type=validated.content_type,
                              sha256=validated.sha256, width=validated.width, height=validated.height)
        stored.store(photo, validated, thumbnail_field=None)
        photo.save()
    return plan
