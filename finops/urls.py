from django.urls import path

from finops import views

app_name = "finops"
urlpatterns = [
    path("", views.overview, name="overview"),
]
