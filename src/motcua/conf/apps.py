"""App configurations of third-party apps, where ours needs a different one."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    """django-tasks-db names itself "Tasks Database Backend", untranslated, on the admin's pages."""

    verbose_name = _("Background tasks")  # type: ignore[assignment]  # the base has a plain str
