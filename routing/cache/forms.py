from __future__ import annotations

from django import forms


class CachePolicyForm(forms.Form):
    cache_enabled = forms.BooleanField(required=False, label="Answer repeated requests from the cache")
    cache_semantic = forms.BooleanField(required=False, label="Also answer paraphrases (by meaning)")
    cache_threshold = forms.FloatField(
        min_value=0.5, max_value=1, label="Similarity a paraphrase needs (cosine)", help_text="0.92 by default."
    )
    cache_ttl_seconds = forms.IntegerField(min_value=60, max_value=90 * 86_400, label="Keep answers for (seconds)")
    cache_max_entries = forms.IntegerField(min_value=0, max_value=10_000_000, label="Keep at most (entries)")
    cache_max_temperature = forms.FloatField(
        min_value=0, max_value=2, label="Skip requests sampled hotter than (temperature)"
    )
    cache_tool_requests = forms.BooleanField(required=False, label="Cache requests that carry tools")
    cache_per_user = forms.BooleanField(required=False, label="Keep each end-user's answers apart")

    @classmethod
    def initial_from(cls, policy) -> dict:
        return {name: getattr(policy, name) for name in cls.base_fields}


class InvalidateForm(forms.Form):
    model = forms.CharField(max_length=100, required=False)
