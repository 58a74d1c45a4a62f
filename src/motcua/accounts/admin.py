from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("MotCua"), {"fields": ("role", "full_name", "agency", "id_number", "phone")}),
    )
