from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from units.models import LineOfWork, Message, Officer, Role, Unit, UnitType


class LineOfWorkInline(admin.TabularInline):
    model = LineOfWork
    extra = 0


@admin.register(UnitType)
class UnitTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "name_en", "level", "publishes_oit")
    inlines = [LineOfWorkInline]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name_th", "short_name_th", "slug", "unit_type", "parent", "head")
    list_select_related = ("unit_type", "parent", "head")
    list_filter = ("unit_type",)
    search_fields = ("name_th", "name_en", "short_name_th", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ["parent", "head"]
    inlines = [RoleInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("display_name", "position", "unit", "line_of_work", "is_active")
    list_select_related = ("unit", "line_of_work")
    list_filter = ("is_active", "unit__unit_type", "unit")
    search_fields = ("first_name", "last_name", "position", "aliases")
    autocomplete_fields = ["user", "unit"]
    actions = ["reassign_items"]

    @admin.action(description=_("Reassign a leaver's items to another officer"))
    def reassign_items(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one officer to reassign."), messages.WARNING)
            return None
        officer = queryset.select_related("unit").get()
        return redirect("officer-reassign", slug=officer.unit.slug, pk=officer.pk)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role", "created_at")
    list_select_related = ("user", "unit")
    list_filter = ("role", "unit__unit_type")
    search_fields = ("user__username", "unit__name_th", "unit__slug")
    autocomplete_fields = ["user", "unit"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Every message sent (or not): what happened to a reminder an officer says never came."""

    list_display = ("created_at", "channel", "kind", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("to", "key", "subject")
    readonly_fields = [f.name for f in Message._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False
