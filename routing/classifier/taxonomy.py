"""The fixed task-type vocabulary (DESIGN.md) and how the types group into categories."""

from __future__ import annotations

TASK_TYPES = (
    "coding",
    "reasoning",
    "summarization",
    "extraction",
    "classification",
    "creative_writing",
    "brainstorming",
    "translation",
    "question_answering",
    "chat",
)
INDEX = {name: i for i, name in enumerate(TASK_TYPES)}

# Types whose answers fail in similar ways and need similar models.
CATEGORY = {
    "coding": "technical",
    "reasoning": "technical",
    "extraction": "structured",
    "classification": "structured",
    "summarization": "language",
    "translation": "language",
    "question_answering": "language",
    "creative_writing": "generative",
    "brainstorming": "generative",
    "chat": "conversational",
}
