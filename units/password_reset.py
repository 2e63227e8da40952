"""Forgot your password? Django's reset views, in Thai: one answer whether or not the address is known
(nobody learns who has a login), a link that works once (Django's token changes with the password and
the last login) and for PASSWORD_RESET_TIMEOUT, a few requests per address and per hour, and links to
the address the portal is served on."""

import logging

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from ita_portal.lib.site import site_url

log = logging.getLogger(__name__)


def email_key(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


class ResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, *args, **kwargs):
        """A mail server that refuses must not tell the visitor whether the address has a login (a 500
        would): the answer stays the same and the failure goes to the log for the administrators."""
        try:
            super().send_mail(*args, **kwargs)
        except Exception:
            log.exception("password reset mail could not be sent")


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=False), name="post")
@method_decorator(ratelimit(key=email_key, rate="3/h", method="POST", block=False), name="post")
class RequestReset(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return render(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"site": site_url()}
        return super().form_valid(form)


class Sent(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class ChooseNew(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")


class Complete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
