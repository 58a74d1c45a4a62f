from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "motcua.outbox"
    label = "outbox"
    verbose_name = _("Outbox: what leaves MotCua")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app that sends something registers its deliverers in its own ``deliverers`` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("deliverers")
