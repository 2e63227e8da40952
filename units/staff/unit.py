from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oit_items.files import serve

from ..forms import SocialLinkFormSet, UnitForm, social_links_of
from ..permissions import get_unit_for


@login_required
def edit(request, slug):
    """Contact details (O5/O4), map coordinates, website, social links and emblem."""
    unit, access = get_unit_for(request.user, slug, "manage")
    initial_links = [{"label": link.get("label", ""), "url": link.get("url", "")} for link in unit.social_links or []]
    form = UnitForm(request.POST or None, request.FILES or None, instance=unit)
    links = SocialLinkFormSet(request.POST or None, initial=initial_links, prefix="links")
    if request.method == "POST":
        if form.is_valid() and links.is_valid():
            unit = form.save(commit=False)
            unit.social_links = social_links_of(links)
            unit.save()
            messages.success(request, _("The details of %(unit)s are saved.") % {"unit": unit})
            return redirect("unit-detail", slug=unit.slug)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(request, "units/unit_edit.html", {"unit": unit, "access": access, "form": form, "links": links},
                  status=400 if request.method == "POST" else 200)


@login_required
def emblem(request, slug):
    unit, _access = get_unit_for(request.user, slug, "view")
    if not unit.emblem:
        raise Http404
    return serve(unit.emblem, f"{unit.slug}-emblem.{unit.emblem.name.rsplit('.', 1)[-1]}", _content_type(unit.emblem.name),
                 as_attachment=False)


def _content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension, "application/octet-stream")
