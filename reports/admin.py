from django.contrib import admin

from reports.models import RenderJob


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "unit", "fiscal_year", "month", "state", "progress", "attempts", "updated_at")
    list_filter = ("kind", "state")
    readonly_fields = [f.name for f in RenderJob._meta.fields]
