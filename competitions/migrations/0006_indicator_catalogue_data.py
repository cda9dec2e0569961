"""Each call's suggested outputs and each proposal's typed outputs become
catalogue indicators: the same Korean name and unit is the same indicator."""

from django.db import migrations


def forwards(apps, schema_editor):
    from indicators.migration_support import Catalogue

    catalogue = Catalogue(apps.get_model("indicators", "Indicator"))
    CallPage = apps.get_model("competitions", "CallPage")
    CallIndicator = apps.get_model("competitions", "CallIndicator")
    CallOutputIndicator = apps.get_model("competitions", "CallOutputIndicator")
    ProposalOutput = apps.get_model("competitions", "ProposalOutput")
    chosen: dict[int, list[int]] = {}
    for row in CallOutputIndicator.objects.order_by("page_id", "sort_order", "pk"):
        indicator = catalogue.indicator_for(
            name_ko=row.name_ko, unit_ko=row.unit_ko, name_en=row.name_en,
            unit_en=row.unit_en, code=row.code,
        )
        chosen.setdefault(row.page_id, [])
        if indicator.pk not in chosen[row.page_id]:
            chosen[row.page_id].append(indicator.pk)
    taken: set[tuple[int, int]] = set()
    for row in ProposalOutput.objects.select_related("proposal").order_by(
        "proposal_id", "sort_order", "pk"
    ):
        indicator = catalogue.indicator_for(
            name_ko=row.name, unit_ko=row.unit, code=row.code,
            distinct_from={pk for (proposal, pk) in taken if proposal == row.proposal_id},
        )
        taken.add((row.proposal_id, indicator.pk))
        row.indicator = indicator
        row.save(update_fields=["indicator"])
        call_id = row.proposal.call_id
        chosen.setdefault(call_id, [])
        if indicator.pk not in chosen[call_id]:
            chosen[call_id].append(indicator.pk)
    for call_id, indicator_ids in chosen.items():
        if not CallPage.objects.filter(pk=call_id).exists():
            continue
        CallIndicator.objects.bulk_create(
            CallIndicator(page_id=call_id, indicator_id=pk, sort_order=order)
            for order, pk in enumerate(indicator_ids)
        )


class Migration(migrations.Migration):
    dependencies = [("competitions", "0005_indicator_catalogue_add")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
