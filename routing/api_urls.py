from django.urls import path

from routing import rest
from routing.cache import rest as cache_rest
from routing.security import rest as security_rest

urlpatterns = [
    path("routes", rest.RouteListView.as_view(), name="api-routes"),
    path("routes/negatives", rest.NegativesView.as_view(), name="api-route-negatives"),
    path("routes/<slug:name>", rest.RouteDetailView.as_view(), name="api-route"),
    path("routes/<slug:name>/examples", rest.RouteExamplesView.as_view(), name="api-route-examples"),
    path("feedback", rest.FeedbackView.as_view(), name="api-feedback"),
    path("cache", cache_rest.CacheView.as_view(), name="api-cache"),
    path("cache/entries", cache_rest.CacheEntriesView.as_view(), name="api-cache-entries"),
    path("security/events", security_rest.SecurityEventsView.as_view(), name="api-security-events"),
    path("cache/entries/<int:entry_id>", cache_rest.CacheEntryView.as_view(), name="api-cache-entry"),
]
