from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarehouseConfig(AppConfig):
    name = "motcua.warehouse"
    label = "warehouse"
    verbose_name = _("Citizens' document warehouse")
    default_auto_field = "django.db.models.BigAutoField"
