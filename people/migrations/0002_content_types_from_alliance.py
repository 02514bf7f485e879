"""The moved models' content types follow them from ``alliance`` to ``people``.

A content type row is renamed in place, so everything pointing at it keeps pointing at the same model: the
permissions (and the groups and people holding them), a Board decision's subject (Decision.subject_type), an
obligation's subject, and the audit's reading of the history tables. A new database has no such rows yet
(post_migrate creates them under ``people``): nothing to do.
"""

from django.db import migrations

MODELS = [
    "appointment", "candidaterequest", "cvaccess", "cvcall", "hubservice", "interview", "keypersonrole",
    "nomination", "portfoliorecommendation", "resourcingproposal",
    "historicalappointment", "historicalcandidaterequest", "historicalcvcall", "historicalcvcall_services",
    "historicalhubservice", "historicalinterview", "historicalkeypersonrole", "historicalnomination",
    "historicalportfoliorecommendation", "historicalresourcingproposal", "historicalresourcingproposal_services",
]


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        existing = content_types.filter(app_label=old, model=model).first()
        if existing is None:
            continue
        # A row under the new label exists only if post_migrate ran between the two apps' migrations (a
        # `migrate people 0001` then a plain `migrate`): nothing can point at it yet but its own default
        # permissions, which go with it.
        content_types.filter(app_label=new, model=model).delete()
        existing.app_label = new
        existing.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "alliance", "people")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "people", "alliance")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
