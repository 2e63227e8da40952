"""The account scheduled jobs act as: evidence and audit events always name a user."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "ita-system"


def system_user():
    """An inactive user that can never log in (no usable password), created on first use."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "ITA Portal", "last_name": "(system)"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
