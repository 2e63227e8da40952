from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ita_portal import views as portal_views
from oit_items.assessment import urls as assessment_urls
from oit_items.channels import urls as channel_urls
from oit_items.public import home as public_home
from oit_items.public import urls as public_urls
from units import line_views, password_reset, two_factor
from units import urls as unit_urls

admin.site.site_header = _("ITA Portal administration")
admin.site.site_title = _("ITA Portal")

# Machine addresses: one URL whatever the language (open data, files, sitemaps, health, webhooks).
urlpatterns = [
    path("line/webhook/", line_views.webhook, name="line-webhook"),
    path("line/webhook/<slug:account>/", line_views.webhook, name="line-webhook-unit"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:language>/", portal_views.switch_language, name="switch-language"),
    path("healthz/", portal_views.healthz, name="healthz"),
    path("readyz/", portal_views.readyz, name="readyz"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    path("", include("oit_items.public.urls")),
    path("admin/", admin.site.urls),
]

# Pages: Thai at the addresses they always had, English under /en/ (ita_portal.lib.languages).
urlpatterns += i18n_patterns(
    path("", public_home.home, name="home"),
    path("units/", public_home.unit_search, name="public-unit-search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", password_reset.RequestReset.as_view(), name="password-reset"),
    path("password-reset/sent/", password_reset.Sent.as_view(), name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", password_reset.ChooseNew.as_view(), name="password-reset-confirm"),
    path("password-reset/done/", password_reset.Complete.as_view(), name="password-reset-complete"),
    path("account/2fa/", two_factor.overview, name="two-factor"),
    path("account/2fa/setup/", two_factor.setup, name="two-factor-setup"),
    path("account/2fa/verify/", two_factor.verify, name="two-factor-verify"),
    path("account/2fa/codes/", two_factor.recovery_codes, name="two-factor-codes"),
    path("account/notifications/", line_views.settings_page, name="line-settings"),
    path("account/notifications/code/", line_views.issue_code, name="line-code"),
    path("account/notifications/unlink/", line_views.unlink, name="line-unlink"),
    path("account/notifications/group/<slug:slug>/code/", line_views.issue_group_code, name="line-group-code"),
    path("account/notifications/group/<slug:slug>/unlink/", line_views.unlink_group, name="line-group-unlink"),
    path("", include(unit_urls.invitation_urlpatterns)),
    path("", include(assessment_urls.public_urlpatterns)),
    path("", include(public_urls.page_urlpatterns)),
    path("", include(channel_urls.public_urlpatterns)),
    path("staff/", include(channel_urls.staff_urlpatterns)),
    path("staff/", include(assessment_urls.staff_urlpatterns)),
    path("staff/", include("oit_items.overview.urls")),
    path("staff/", include("units.urls")),
    path("staff/", include("oit_items.urls")),
    path("staff/", include("reports.urls")),
    path("staff/", include("measures.urls")),
    prefix_default_language=False,
)
