from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SipasConfig(AppConfig):
    name = "motcua.sipas"
    label = "sipas"
    verbose_name = _("Satisfaction survey (SIPAS)")
