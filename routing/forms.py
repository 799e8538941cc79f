from __future__ import annotations

import json

from django import forms

from tenants.models import RoutingMode


class PolicyForm(forms.Form):
    mode = forms.ChoiceField(choices=RoutingMode.choices)
    default_model = forms.ChoiceField(help_text="Where unsure requests go.")
    rate_limit_rpm = forms.IntegerField(min_value=0, label="Rate limit per key (requests/min, 0 = none)")
    cognitive_enabled = forms.BooleanField(required=False, label="Ask a router LLM when the classifier is unsure")
    cognitive_threshold = forms.FloatField(min_value=0, max_value=1, label="…below this confidence")
    router_model = forms.ChoiceField(required=False, label="Router model")
    tool_pruning_top_k = forms.IntegerField(
        min_value=0, max_value=128, label="Keep the k most relevant tools (0 = off)"
    )
    disabled_models = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Never route to"
    )
    custom_rules = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}),
        label="Custom rules (JSON, used in mode 'custom')",
    )

    def __init__(self, *args, model_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(name, name) for name in model_names]
        self.fields["default_model"].choices = choices
        self.fields["router_model"].choices = [("", "default (gpt-4o-mini)"), *choices]
        self.fields["disabled_models"].choices = choices

    def clean_custom_rules(self):
        raw = self.cleaned_data["custom_rules"].strip()
        if not raw:
            return []
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc.msg} (line {exc.lineno}).") from exc


class CredentialForm(forms.Form):
    provider = forms.ChoiceField()
    api_key = forms.CharField(widget=forms.PasswordInput(render_value=False), label="API key")
    base_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Base URL (optional)",
        help_text="For proxies or self-hosted OpenAI-compatible servers.",
    )

    def __init__(self, *args, providers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = providers


class RouteForm(forms.Form):
    TARGETS = [("model", "a model"), ("tier", "a tier"), ("mode", "a mode")]

    name = forms.SlugField(max_length=60, help_text="Lower-case, dashes: billing, legal-review…")
    description = forms.CharField(max_length=200, required=False)
    target_kind = forms.ChoiceField(choices=TARGETS, label="Send matches to")
    target_model = forms.ChoiceField(required=False)
    target_tier = forms.ChoiceField(
        required=False, choices=[("", "—"), ("economy", "economy"), ("standard", "standard"), ("premium", "premium")]
    )
    target_mode = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("cost", "lowest cost"), ("speed", "lowest latency"), ("quality", "best quality")],
    )
    examples = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text="One example request per line.")

    def __init__(self, *args, model_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_model"].choices = [("", "—"), *((n, n) for n in model_names)]

    def target(self) -> dict:
        kind = self.cleaned_data["target_kind"]
        return {
            f"target_{k}": (self.cleaned_data[f"target_{k}"] if k == kind else "") or ("" if k != "model" else None)
            for k in ("model", "tier", "mode")
        }

    def example_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["examples"].splitlines() if line.strip()]


class ExamplesForm(forms.Form):
    examples = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="One per line.")

    def lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["examples"].splitlines() if line.strip()]
