"""The assessment's addresses. The public ones come before the public item page's
`u/<slug>/ita/<year>/<code>/` in ita_portal/urls.py, which would otherwise take "submitted" for a code."""

staff_urlpatterns = []
public_urlpatterns = []
