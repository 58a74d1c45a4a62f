from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParConfig(AppConfig):
    name = "motcua.par"
    label = "par"
    verbose_name = _("Administrative-reform index (PAR INDEX)")
