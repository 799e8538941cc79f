from django.urls import path

from routing import views
from routing.cache import views as cache_views
from routing.security import views as security_views

app_name = "routing"
urlpatterns = [
    path("routing/", views.settings_view, name="settings"),
    path("routing/providers/", views.providers_view, name="providers"),
    path("routing/providers/<slug:slug>/delete/", views.provider_delete_view, name="provider_delete"),
    path("routing/routes/", views.routes_view, name="routes"),
    path("routing/routes/negatives/", views.negatives_add_view, name="negatives_add"),
    path("routing/routes/<slug:name>/", views.route_view, name="route"),
    path("routing/routes/<slug:name>/toggle/", views.route_toggle_view, name="route_toggle"),
    path("routing/routes/<slug:name>/delete/", views.route_delete_view, name="route_delete"),
    path("routing/cache/", cache_views.cache_view, name="cache"),
    path("routing/security/", security_views.security_view, name="security"),
    path("routing/cache/invalidate/", cache_views.cache_invalidate_view, name="cache_invalidate"),
    path(
        "routing/cache/entries/<int:entry_id>/delete/", cache_views.cache_entry_delete_view, name="cache_entry_delete"
    ),
]
