"""Expected quality per (model, task type), as priors in [0, 1].

Derived by hand from public leaderboards as of mid-2025 (LMArena overall, coding and math
categories; MMLU-Pro; HumanEval/LiveCodeBench; multilingual results) and normalised so that the
strongest model of the catalog scores about 0.95 on its best type. They rank models, they do not
promise absolute scores: the quality loop (shadow audits, matrix rebuilds) replaces them with
measured pass rates per tenant.
"""

from django.db import migrations

TASKS = ("coding", "reasoning", "summarization", "extraction", "classification", "creative_writing",
         "brainstorming", "translation", "question_answering", "chat")

# model: (coding, reasoning, summarization, extraction, classification, creative, brainstorm, translation, qa, chat)
PRIORS = {
    "gpt-4o": (0.86, 0.82, 0.91, 0.91, 0.92, 0.88, 0.88, 0.91, 0.89, 0.92),
    "gpt-4o-mini": (0.76, 0.70, 0.87, 0.86, 0.88, 0.80, 0.82, 0.86, 0.80, 0.88),
    "gpt-4.1": (0.90, 0.85, 0.92, 0.93, 0.93, 0.88, 0.88, 0.92, 0.90, 0.91),
    "gpt-4.1-mini": (0.84, 0.80, 0.89, 0.90, 0.90, 0.82, 0.84, 0.88, 0.85, 0.88),
    "gpt-4.1-nano": (0.68, 0.62, 0.82, 0.82, 0.85, 0.70, 0.74, 0.80, 0.72, 0.82),
    "o3-mini": (0.91, 0.94, 0.84, 0.88, 0.88, 0.72, 0.78, 0.82, 0.84, 0.78),
    "claude-3-5-haiku": (0.80, 0.70, 0.86, 0.86, 0.87, 0.80, 0.81, 0.85, 0.80, 0.86),
    "claude-sonnet-4": (0.94, 0.88, 0.93, 0.93, 0.93, 0.92, 0.91, 0.92, 0.91, 0.92),
    "claude-opus-4": (0.95, 0.91, 0.94, 0.94, 0.94, 0.94, 0.93, 0.93, 0.93, 0.93),
    "gemini-2.0-flash": (0.78, 0.76, 0.87, 0.87, 0.88, 0.80, 0.82, 0.88, 0.83, 0.87),
    "gemini-2.5-flash": (0.86, 0.88, 0.90, 0.90, 0.90, 0.85, 0.86, 0.90, 0.87, 0.89),
    "gemini-2.5-pro": (0.92, 0.93, 0.93, 0.93, 0.93, 0.91, 0.91, 0.93, 0.92, 0.92),
    "deepseek-chat": (0.87, 0.84, 0.88, 0.88, 0.89, 0.84, 0.85, 0.86, 0.86, 0.88),
    "deepseek-reasoner": (0.90, 0.93, 0.85, 0.87, 0.88, 0.80, 0.82, 0.84, 0.87, 0.82),
    "mistral-small": (0.72, 0.66, 0.84, 0.84, 0.86, 0.76, 0.78, 0.84, 0.76, 0.84),
    "mistral-large": (0.83, 0.78, 0.88, 0.88, 0.89, 0.84, 0.84, 0.89, 0.84, 0.88),
    "llama-3.3-70b": (0.78, 0.74, 0.86, 0.85, 0.87, 0.80, 0.82, 0.83, 0.81, 0.86),
    "llama-3.1-8b": (0.58, 0.52, 0.76, 0.74, 0.80, 0.66, 0.70, 0.70, 0.64, 0.78),
}


def seed(apps, schema_editor):
    LLMModel = apps.get_model("routing", "LLMModel")
    for name, scores in PRIORS.items():
        LLMModel.objects.filter(name=name).update(quality=dict(zip(TASKS, scores, strict=True)))


class Migration(migrations.Migration):
    dependencies = [("routing", "0003_llmmodel_quality")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
