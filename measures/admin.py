from django.contrib import admin

from measures.models import Activity, CalendarPhase, IndicatorAnalysis, Measure, MeasurePlan, SurveyQuota


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ("order", "area", "code", "aspect", "deadline", "status")
    extra = 0
    show_change_link = True


@admin.register(MeasurePlan)
class MeasurePlanAdmin(admin.ModelAdmin):
    list_display = ("unit", "fiscal_year", "title", "data_version", "updated_at")
    list_select_related = ("unit",)
    list_filter = ("fiscal_year", "unit__unit_type")
    search_fields = ("unit__name_th", "unit__slug", "title")
    readonly_fields = ("source", "data_version")
    inlines = [MeasureInline]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("plan", "area", "code", "aspect", "deadline", "status")
    list_select_related = ("plan__unit",)
    list_filter = ("area", "status", "plan__fiscal_year")
    search_fields = ("aspect", "points", "people", "plan__unit__name_th")
    autocomplete_fields = ("responsible", "controllers")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("plan", "indicator", "activity", "deadline", "status")
    list_select_related = ("plan__unit",)
    list_filter = ("indicator", "status", "plan__fiscal_year")
    search_fields = ("activity", "issue", "people")
    autocomplete_fields = ("responsible", "controllers")


@admin.register(CalendarPhase)
class CalendarPhaseAdmin(admin.ModelAdmin):
    list_display = ("plan", "stage", "kind", "starts", "ends")
    list_select_related = ("plan__unit",)
    list_filter = ("stage", "kind", "plan__fiscal_year")
    autocomplete_fields = ("responsible", "controllers")


@admin.register(SurveyQuota)
class SurveyQuotaAdmin(admin.ModelAdmin):
    list_display = ("plan", "instrument", "label", "minimum")
    list_select_related = ("plan__unit",)
    list_filter = ("instrument", "plan__fiscal_year")
    autocomplete_fields = ("collectors",)


admin.site.register(IndicatorAnalysis)
