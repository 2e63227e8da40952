"""The library's one table: the outbox of `queue.enqueue` (app label `ita_portal`, defined here so that the
library needs no app; ita_portal/models.py hands it to Django's loader)."""

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
