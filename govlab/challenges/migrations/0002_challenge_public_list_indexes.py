"""Indexes for the public challenge list: its count and its default order (newest first)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="challenge",
            index=models.Index(fields=["is_public", "status"], name="challenge_public_status_idx"),
        ),
        migrations.AddIndex(
            model_name="challenge",
            index=models.Index(fields=["submitted_at", "id"], name="challenge_submitted_idx"),
        ),
    ]
