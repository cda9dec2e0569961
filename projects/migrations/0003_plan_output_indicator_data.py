"""Each plan's output targets point at catalogue indicators (the same Korean
name and unit is the same indicator, as the proposals' were mapped), and the
plans proposed in change requests name their outputs by indicator code."""

from django.db import migrations


def forwards(apps, schema_editor):
    from indicators.migration_support import Catalogue

    catalogue = Catalogue(apps.get_model("indicators", "Indicator"))
    PlanOutput = apps.get_model("projects", "PlanOutput")
    ChangeRequest = apps.get_model("projects", "ChangeRequest")
    held: dict[int, set[int]] = {}
    for row in PlanOutput.objects.order_by("plan_id", "pk"):
        indicator = catalogue.indicator_for(
            name_ko=row.name_ko, unit_ko=row.unit_ko, name_en=row.name_en,
            unit_en=row.unit_en, code=row.code,
            distinct_from=held.get(row.plan_id, set()),
        )
        held.setdefault(row.plan_id, set()).add(indicator.pk)
        row.indicator = indicator
        row.save(update_fields=["indicator"])
    for request in ChangeRequest.objects.all():
        proposed = request.proposed or {}
        outputs, taken = [], set()
        for row in proposed.get("outputs") or []:
            indicator = catalogue.indicator_for(
                name_ko=row.get("name_ko") or row.get("code") or "",
                unit_ko=row.get("unit_ko") or "",
                name_en=row.get("name_en") or "",
                unit_en=row.get("unit_en") or "",
                code=row.get("code") or "",
                distinct_from=taken,
            )
            taken.add(indicator.pk)
            outputs.append({"code": indicator.code, "target": row.get("target", 0)})
        proposed["outputs"] = outputs
        request.proposed = proposed
        request.save(update_fields=["proposed"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_plan_output_indicator_add")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
