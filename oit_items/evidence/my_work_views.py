"""My work (งานของฉัน): the first page after login, and its count in the navigation bar."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from oit_items.evidence import my_work as work


@login_required
def my_work(request):
    return render(request, "oit_items/my_work.html", {"work": work.build(request.user, timezone.localdate())})


@login_required
def my_work_count(request):
    """The navbar badge, fetched by htmx after the page: pages themselves cost no query more."""
    return render(request, "oit_items/partials/work_count.html",
                  {"work": work.build(request.user, timezone.localdate(), count_only=True)})
