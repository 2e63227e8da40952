from django.conf import settings

from .models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def record(user, unit, action, *, ip=None, item_period=None, evidence=None, comment="", **details) -> AuditEvent:
    name = ""
    if user is not None and user.is_authenticated:
        officer = getattr(user, "officer", None)
        name = officer.display_name if officer else (user.get_full_name() or user.get_username())
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None, actor_name=name or "system", ip=ip,
        unit=unit, item_period=item_period, evidence=evidence, action=action, comment=comment, details=details,
    )
