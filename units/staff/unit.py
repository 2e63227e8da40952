import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ita_portal.lib import stored
from ita_portal.lib.files import revalidated, serve
from units.forms import SocialLinkFormSet, UnitForm, social_links_of
from units.permissions import get_unit_for
from units.signals import unit_details_changed


@login_required
def edit(request, slug):
    """Contact details (O5/O4), map coordinates, website, social links and emblem."""
    unit, access = get_unit_for(request.user, slug, "manage")
    initial_links = [{"label": link.get("label", ""), "url": link.get("url", "")} for link in unit.social_links or []]
    form = UnitForm(request.POST or None, request.FILES or None, instance=unit)
    links = SocialLinkFormSet(request.POST or None, initial=initial_links, prefix="links")
    if request.method == "POST":
        if form.is_valid() and links.is_valid():
            try:
                with stored.atomic():  # a new emblem is a stored file
                    saved = form.save(commit=False)
                    saved.social_links = social_links_of(links)
                    saved.save()
            except stored.StorageFailed as failed:  # nothing saved: the form again, as typed
                form.add_error("emblem", failed.message)
            else:
                unit_details_changed.send(sender=type(saved), unit=saved)  # its public pages show these details and the emblem
                messages.success(request, _("The details of %(unit)s are saved.") % {"unit": saved})
                return redirect("unit-detail", slug=saved.slug)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(request, "units/unit_edit.html", {"unit": unit, "access": access, "form": form, "links": links},
                  status=400 if request.method == "POST" else 200)


@login_required
def emblem(request, slug):
    unit, _access = get_unit_for(request.user, slug, "view")
    if not unit.emblem:
        raise Http404
    return serve_image(unit.emblem, f"{unit.slug}-emblem")


def serve_image(field_file, stem: str, request=None):
    """A stored photo or emblem (checked and re-encoded on upload), shown inline. With the `request`
    of a public page: revalidated, its stored name (new for every upload) as the ETag."""
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
        extension, "application/octet-stream")
    if request is not None:
        etag = hashlib.sha256(field_file.name.encode()).hexdigest()[:32]
        return revalidated(request, etag, field_file, f"{stem}.{extension}", content_type, as_attachment=False)
    return serve(field_file, f"{stem}.{extension}", content_type, as_attachment=False)
