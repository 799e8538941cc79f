from django.db import migrations
from pgvector.django import VectorExtension


class Migration(migrations.Migration):
    """pgvector backs the semantic cache and the routing exemplars."""

    dependencies = []
    operations = [VectorExtension()]
