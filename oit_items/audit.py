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


def actor_name(user) -> str:
    if user is None or not user.is_authenticated:
        return "system"
    officer = getattr(user, "officer", None)
    return (officer.display_name if officer else (user.get_full_name() or user.get_username())) or "system"


def record(user, unit, action, *, ip=None, item_period=None, evidence=None, comment="", **details) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None, actor_name=actor_name(user), ip=ip,
        unit=unit, item_period=item_period, evidence=evidence, action=action, comment=comment, details=details,
    )
