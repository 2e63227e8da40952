from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.forms import BuddhistYearField
from ita_portal.lib.queue import enqueue
from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Framework, Item


class FrameworkForm(forms.ModelForm):
    fiscal_year = BuddhistYearField(label=_("fiscal year (BE)"))

    class Meta:
        model = Framework
        fields = "__all__"


class ItemInline(admin.TabularInline):
    model = Item
    fields = ("code", "title_th", "topic", "retired")
    readonly_fields = ("code",)
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    form = FrameworkForm
    list_display = ("__str__", "fiscal_year", "version", "data_file", "cloned_from")
    list_select_related = ("unit_type", "cloned_from__unit_type")
    list_filter = ("unit_type", "fiscal_year")
    inlines = [ItemInline]
    actions = ["clone_to_next_year"]

    @admin.action(description=_("Clone into the next fiscal year (with every unit's assignments)"))
    def clone_to_next_year(self, request, queryset):
        for framework in queryset:
            target = framework.fiscal_year + 1
            if Framework.objects.filter(unit_type=framework.unit_type, fiscal_year=target).exists():
                self.message_user(request, _("%(fw)s: fiscal year %(year)s already exists.") % {"fw": framework, "year": target}, messages.WARNING)
                continue
            enqueue("oit_items.tasks.clone_framework", framework.pk, target)
            self.message_user(request, _("%(fw)s is being cloned into %(year)s in the background.") % {"fw": framework, "year": target})


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "title_th", "framework", "topic", "retired")
    list_select_related = ("framework__unit_type",)
    list_filter = ("framework", "retired")
    search_fields = ("code", "title_th", "title_en", "guidance_th")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "item")
    list_filter = ("unit", "item__framework")
    filter_horizontal = ("responsible", "controllers")
    list_select_related = ("unit", "item")
