from oit_items.evidence.models import AuditEvent


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
