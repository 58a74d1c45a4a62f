"""The province's own questions: added here, without code (docs/sipas.md). ``motcua load-sipas``
keeps them (``local``) when it loads the form again."""

from django.contrib import admin

from motcua.sipas.models import Element, Item, Pillar, Questionnaire


class PillarInline(admin.TabularInline[Pillar, Questionnaire]):
    model = Pillar
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin[Questionnaire]):
    list_display = ["title", "year_from", "year_to", "wording"]
    readonly_fields = ["scale", "extra"]
    inlines = [PillarInline]


class ItemInline(admin.TabularInline[Item, Element]):
    model = Item
    extra = 1
    fields = ["code", "text", "order", "local"]


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin[Element]):
    list_display = ["code", "name", "pillar"]
    list_filter = ["pillar__questionnaire"]
    inlines = [ItemInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ["code", "text", "element", "local"]
    list_filter = ["questionnaire", "local"]
    search_fields = ["code", "text"]
    exclude = ["questionnaire"]
