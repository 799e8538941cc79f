from django.urls import path

from routing import rest

urlpatterns = [
    path("routes", rest.RouteListView.as_view(), name="api-routes"),
    path("routes/negatives", rest.NegativesView.as_view(), name="api-route-negatives"),
    path("routes/<slug:name>", rest.RouteDetailView.as_view(), name="api-route"),
    path("routes/<slug:name>/examples", rest.RouteExamplesView.as_view(), name="api-route-examples"),
    path("feedback", rest.FeedbackView.as_view(), name="api-feedback"),
]
