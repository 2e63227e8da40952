from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "oit_items.channels"
    label = "channels"
    verbose_name = _("Public channels: questions and complaints")
