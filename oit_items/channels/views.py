from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from ita_portal.lib import files, stored, thaidate, uploads
from ita_portal.lib.http import client_ip
from ita_portal.lib.queue import enqueue
from oit_items.channels import limits, stats
from oit_items.channels.forms import AnswerForm, ComplaintForm, QuestionForm, QuestionTrackForm, TrackForm, TriageForm
from oit_items.channels.models import Complaint, ComplaintAttachment, ComplaintEvent, Question
from units.permissions import get_public_unit, get_unit_for

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _limited(request, template, context):
    """Too many sends: the form comes back with what was typed (nothing is lost) and the reason."""
    response = render(request, template, {**context, "limited": True}, status=429)
    response["Retry-After"] = "3600"
    return response


def questions(request, slug):
    unit = get_public_unit(slug)
    form = QuestionForm(request.POST or None)
    answered = list(Question.objects.published().filter(unit=unit)[:100])
    context = {"unit": unit, "form": form, "answered": answered,
               "updated": max((q.answered_at for q in answered), default=None)}
    if request.method == "POST" and limits.used_up(request, "questions"):
        return _limited(request, "channels/questions.html", context)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "email", "subject", "text")}
        asked = Question.objects.create(unit=unit, ip=client_ip(request), **data)
        limits.count_accepted(request, "questions")
        enqueue("oit_items.channels.tasks.notify_new_message", "question", asked.pk)
        request.session["question_code"] = asked.code
        return redirect("public-question-sent", slug=slug)
    return render(request, "channels/questions.html", context, status=400 if form.is_bound else 200)


def question_sent(request, slug):
    unit = get_public_unit(slug)
    code = request.session.pop("question_code", None)
    if not code:
        return redirect("public-question-track", slug=slug)
    return render(request, "channels/question_sent.html", {"unit": unit, "code": code})


def _dashed(code: str) -> str:
    """A code as stored, from what TrackForm kept of what was typed (letters and digits)."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


@ratelimit(key=limits.sender_key, rate="30/h", method="GET", block=False)
def track_question(request, slug):
    """Whoever has the code sees whether the question was answered, and the answer — the unit's
    questions only: another unit's code finds nothing here."""
    return _track(request, slug, Question, QuestionTrackForm, "question", _(
        "No question of this unit has that reference code. Check the code and try again."))


def _track(request, slug, model, form_class, name, not_found):
    """A complaint or question found by its code, among this unit's only; limited lookups."""
    unit = get_public_unit(slug)
    form = form_class(request.GET or None)
    context = {"unit": unit, "form": form, name: None}
    if form.is_bound and getattr(request, "limited", False):
        return _limited(request, f"channels/{name}_track.html", context)
    if form.is_valid():
        context[name] = model.objects.filter(unit=unit, code=_dashed(form.cleaned_data["code"])).first()
        if context[name] is None:
            form.add_error("code", not_found)
    return render(request, f"channels/{name}_track.html", context)


def _validated_attachments(form, files):
    if len(files) > ComplaintForm.MAX_FILES:
        form.add_error("attachments", _("At most %(count)s files.") % {"count": ComplaintForm.MAX_FILES})
        return []
    validated = []
    for uploaded in files:
        try:
            validated.append(uploads.validate_upload(uploaded, max_bytes=ATTACHMENT_MAX_BYTES))
        except uploads.UploadRejected as rejected:
            form.add_error("attachments", rejected.message)
    return validated


@stored.atomic()  # a complaint that is not saved leaves none of its attachments behind
def _store_complaint(unit, data, attachments, ip) -> tuple[Complaint, list[str]]:
    """The complaint, and the names of the attachments the storage could not take.

    A complaint is never lost to a full disk or a bucket that does not answer: its text is saved
    without the attachments that could not be stored, and the citizen is told which ones (on the
    page that shows the tracking code, and in the public note seen when following it up), so they
    can hand them over quoting the code. Keeping the form filled instead would lose more: a browser
    never fills a file field again, and with the storage still down the text could never be sent."""
    complaint = Complaint.objects.create(unit=unit, ip=ip, **data)
    unstored = []
    for item in attachments:
        try:
            with stored.atomic():  # a savepoint: an attachment that cannot be stored leaves no row and no file
                attachment = ComplaintAttachment(complaint=complaint, original_name=item.original_name,
                                                 extension=item.extension, content_type=item.content_type,
                                                 size=item.size, sha256=item.sha256)
                stored.store(attachment, item, thumbnail_field=None)
                attachment.save()
        except stored.StorageFailed:
            unstored.append(item.original_name)
    if unstored:  # the unit sees it on the complaint, the citizen when following it up
        complaint.public_note = _("The complaint was received, but these attached files could not be stored because "
                                  "of a fault in the portal's file storage: %(names)s. Please send them to the unit "
                                  "again, quoting the tracking code.") % {"names": ", ".join(unstored)}
        complaint.save(update_fields=["public_note"])
    return complaint, unstored


def new_complaint(request, slug):
    unit = get_public_unit(slug)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and limits.used_up(request, "complaints"):
        return _limited(request, "channels/complaint_form.html", {"unit": unit, "form": form})
    if request.method == "POST":
        attachments = _validated_attachments(form, form.cleaned_data["attachments"]) if form.is_valid() else []
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("anonymous", "name", "contact", "subject", "text")}
            # An anonymous complaint keeps no trace of its sender, not even the address.
            ip = None if data["anonymous"] else client_ip(request)
            complaint, unstored = _store_complaint(unit, data, attachments, ip)
            limits.count_accepted(request, "complaints")
            enqueue("oit_items.channels.tasks.notify_new_message", "complaint", complaint.pk)
            request.session["complaint_code"] = complaint.code
            request.session["complaint_unstored"] = unstored
            return redirect("public-complaint-sent", slug=slug)
    return render(request, "channels/complaint_form.html", {"unit": unit, "form": form},
                  status=400 if form.is_bound else 200)


def complaint_sent(request, slug):
    unit = get_public_unit(slug)
    code = request.session.pop("complaint_code", None)
    unstored = request.session.pop("complaint_unstored", [])
    if not code:
        return redirect("public-complaint-track", slug=slug)
    return render(request, "channels/complaint_sent.html", {"unit": unit, "code": code, "unstored": unstored})


@ratelimit(key=limits.sender_key, rate="30/h", method="GET", block=False)
def track_complaint(request, slug):
    """Anyone with the code sees the status and the unit's note — nothing else of the complaint."""
    return _track(request, slug, Complaint, TrackForm, "complaint", _(
        "No complaint of this unit has that code. Check the code and try again."))


def complaint_statistics(unit, fiscal_year):
    return stats.monthly(unit, fiscal_year)


# Staff side -----------------------------------------------------------------------------------

@login_required
def staff_questions(request, slug):
    unit, access = get_unit_for(request.user, slug, "channels")
    return render(request, "channels/staff_questions.html",
                  {"unit": unit, "questions": Question.objects.filter(unit=unit).select_related("answered_by")[:200]})


@login_required
def staff_answer(request, slug, pk):
    unit, access = get_unit_for(request.user, slug, "channels")
    question = get_object_or_404(Question, pk=pk, unit=unit)
    form = AnswerForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.answered_at, question.answered_by = timezone.now(), request.user
        question.save()
        messages.success(request, _("The answer was saved."))
        return redirect("staff-questions", slug=slug)
    return render(request, "channels/staff_answer.html", {"unit": unit, "question": question, "form": form})


@login_required
def staff_complaints(request, slug):
    unit, access = get_unit_for(request.user, slug, "channels")

    fiscal_year = thaidate.fiscal_year(timezone.localdate())
    return render(request, "channels/staff_complaints.html", {
        "unit": unit, "complaints": Complaint.objects.filter(unit=unit)[:300],
        "stats": stats.monthly(unit, fiscal_year, months=range(1, 13)), "fiscal_year": fiscal_year})


@login_required
def staff_complaint(request, slug, pk):
    unit, access = get_unit_for(request.user, slug, "channels")
    complaint = get_object_or_404(Complaint.objects.prefetch_related("attachments", "events__by"), pk=pk, unit=unit)
    form = TriageForm(request.POST or None, initial={"status": complaint.status, "public_note": complaint.public_note})
    if request.method == "POST" and form.is_valid():
        _triage(complaint, form.cleaned_data, request.user)
        messages.success(request, _("Saved."))
        return redirect("staff-complaint", slug=slug, pk=pk)
    return render(request, "channels/staff_complaint.html", {"unit": unit, "complaint": complaint, "form": form})


@transaction.atomic
def _triage(complaint, data, user):
    complaint.status = data["status"]
    complaint.finished_at = (complaint.finished_at or timezone.now()) if data["status"] == Complaint.FINISHED else None
    complaint.public_note = data["public_note"]
    complaint.save()
    ComplaintEvent.objects.create(complaint=complaint, by=user, status=complaint.status, note=data["note"])


@login_required
def staff_attachment(request, slug, pk):
    unit, access = get_unit_for(request.user, slug, "channels")
    attachment = get_object_or_404(ComplaintAttachment, pk=pk, complaint__unit=unit)
    return files.serve(attachment.file, attachment.original_name, attachment.content_type)
