from __future__ import annotations

from django import forms

from routing.models import SecurityEvent
from routing.security.selectors import SEVERITIES
from tenants.models import PiiAction

CATEGORIES = [
    ("prompt_injection", "prompt injection"),
    ("jailbreak", "jailbreak"),
    ("prompt_extraction", "system-prompt extraction"),
    ("token_smuggling", "token smuggling"),
    ("binary_paste", "binary or oversized paste"),
    ("pii", "personal data"),
    ("secret", "secrets and credentials"),
]


class ShieldPolicyForm(forms.Form):
    shield_enabled = forms.BooleanField(required=False, label="Scan every prompt")
    shield_enforce = forms.BooleanField(
        required=False, label="Block HIGH and CRITICAL attacks (off: monitor only, log and allow)"
    )
    shield_semantic = forms.BooleanField(
        required=False, label="Also match prompts by meaning against written attack examples (paraphrases)"
    )
    pii_action = forms.ChoiceField(choices=PiiAction.choices, label="Personal data and secrets")
    shield_allowlist = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
        label="Allow-list (one per line)",
        help_text="A rule id (pii.email), a category (pii) or an exact string (support@example.com).",
    )

    @classmethod
    def initial_from(cls, policy) -> dict:
        return {
            "shield_enabled": policy.shield_enabled,
            "shield_enforce": policy.shield_enforce,
            "shield_semantic": policy.shield_semantic,
            "pii_action": policy.pii_action,
            "shield_allowlist": "\n".join(policy.shield_allowlist or ()),
        }

    def clean_shield_allowlist(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["shield_allowlist"].splitlines() if line.strip()]


class EventFilterForm(forms.Form):
    category = forms.ChoiceField(required=False, choices=[("", "all categories"), *CATEGORIES])
    severity = forms.ChoiceField(required=False, choices=[("", "all severities"), *((s, s) for s in SEVERITIES)])
    action = forms.ChoiceField(required=False, choices=[("", "all actions"), *SecurityEvent.Action.choices])
