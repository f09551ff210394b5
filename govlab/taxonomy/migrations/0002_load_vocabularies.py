"""Load the shared vocabularies (SDGs, sectors, technologies, thematic areas) into every new database.

Reads the data files as they are when the migration runs; later changes to them are loaded with
``manage.py load_taxonomies``.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Term = apps.get_model("taxonomy", "Term")
    for file in sorted(DATA_DIR.glob("*.json")):
        document = json.loads(file.read_text(encoding="utf-8"))
        vocabulary = document["vocabulary"]
        for position, item in enumerate(document["terms"], start=1):
            Term.objects.update_or_create(
                vocabulary=vocabulary,
                code=item["code"],
                defaults={"name": item["name"], "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
