from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.password_validation import validate_password


class SignupForm(forms.Form):
    organization = forms.CharField(max_length=120, label="Company or team")
    email = forms.EmailField(label="Work e-mail")
    password = forms.CharField(widget=forms.PasswordInput, label="Password", min_length=10)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ApiKeyCreateForm(forms.Form):
    EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In one year")]

    name = forms.CharField(max_length=50, label="Name", help_text="Where the key is used, e.g. 'backend prod'.")
    expires_in_days = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def expires_at(self, now: datetime.datetime) -> datetime.datetime | None:
        days = self.cleaned_data.get("expires_in_days")
        return now + datetime.timedelta(days=int(days)) if days else None
