"""Mapping the free-typed outputs of before the catalogue onto indicators,
for the data migrations of competitions, projects and reporting (and the
benchmark that times them). The rule: the same Korean name and unit (spaces
trimmed) is the same indicator; anything else is a new one."""

import re

_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class Catalogue:
    def __init__(self, indicator_model):
        self.model = indicator_model
        self.by_meaning = {
            (i.name_ko.strip(), i.unit_ko.strip()): i
            for i in indicator_model.objects.filter(is_core=False)
        }
        self.codes = set(indicator_model.objects.values_list("code", flat=True))

    def _free_code(self, hint: str) -> str:
        hint = (hint or "").strip().lower()
        if _CODE.match(hint) and hint not in self.codes:
            return hint
        number = len(self.codes) + 1
        while f"output-{number}" in self.codes:
            number += 1
        return f"output-{number}"

    def indicator_for(
        self, *, name_ko, unit_ko, name_en="", unit_en="", code="", distinct_from=()
    ):
        """The indicator meaning (name, unit), made if new. ``distinct_from``:
        indicator ids the caller already holds (two outputs of one proposal
        with the same meaning stay two figures: the second gets its own entry)."""
        meaning = ((name_ko or "").strip(), (unit_ko or "").strip())
        found = self.by_meaning.get(meaning)
        if found is not None and found.pk not in distinct_from:
            if (name_en and not found.name_en) or (unit_en and not found.unit_en):
                found.name_en = found.name_en or name_en
                found.unit_en = found.unit_en or unit_en
                found.save(update_fields=["name_en", "unit_en"])
            return found
        name = meaning[0] if found is None else f"{meaning[0]} ({code or 2})"
        indicator = self.model.objects.create(
            code=self._free_code(code),
            name_ko=name[:100] or "-",
            name_en=(name_en or name)[:100],
            unit_ko=meaning[1][:20] or "건",
            unit_en=(unit_en or meaning[1])[:30] or "cases",
            aggregation="sum",
            disaggregation="none",
            target_required=True,
            source="reported",
            is_core=False,
            is_active=True,
        )
        self.codes.add(indicator.code)
        if found is None:
            self.by_meaning[meaning] = indicator
        return indicator
