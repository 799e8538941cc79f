from django.urls import path

from tenants import views

app_name = "tenants"
urlpatterns = [
    path("signup/", views.signup_view, name="signup"),
    path("no-tenant/", views.no_tenant, name="no_tenant"),
    path("switch/", views.switch_tenant, name="switch"),
    path("keys/", views.api_keys, name="api_keys"),
    path("keys/new/", views.api_key_create_view, name="api_key_create"),
    path("keys/<str:prefix>/revoke/", views.api_key_revoke_view, name="api_key_revoke"),
]
