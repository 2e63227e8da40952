"""The library's models: the outbox of `queue.enqueue` (app label `ita_portal`, defined here so that the
library needs no app; ita_portal/models.py hands it to Django's loader), and `StoredFile`, the columns
that describe a stored upload."""

from django.db import models


class PendingTask(models.Model):
    """A task the broker would not take (down, unreachable): kept here, "waiting for the queue",
    until the beat sweeper (ita_portal.tasks.sweep) hands it over. Nothing a person asked for is lost."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=1)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


class StoredFile(models.Model):
    """What a row keeps about an upload written with `stored.store()` (the file itself, and its
    thumbnail, are the model's own FileFields: each model has its own folder).

    Only the definitions that the models shared word for word when this base was made, so that no
    column changed. Evidence revisions do not use it: their original_name has a verbose name and their
    sha256 an index (duplicates are looked up by it)."""

    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True
