"""Precision and recall of the personal data detector on a labelled set.

`bench/data/personal_data_cases.tsv` holds sentences written for this project
(report narratives, comments, notes, participant codes, and hard negatives:
amounts, dates, counts, place names, words that start like a surname). Each is
labelled with the groups of personal data it carries: id (resident or foreigner
registration number), phone, email, name.

Precision is over (sentence, group) pairs the detector reports; recall is per
group over the sentences that carry it. tests/common/test_personal_data_bench.py
holds the detector to the targets.
"""

from pathlib import Path

CASES = Path(__file__).parent / "data" / "personal_data_cases.tsv"
GROUPS = {
    "rrn": "id",
    "frn": "id",
    "mobile": "phone",
    "phone": "phone",
    "email": "email",
    "name": "name",
}


def load_cases(path: Path = CASES) -> list[tuple[set[str], str]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        labels, text = line.split("\t", 1)
        cases.append((set() if labels == "-" else set(labels.split(",")), text))
    return cases


def evaluate(cases: list[tuple[set[str], str]] | None = None) -> dict:
    from common.personal_data import find_personal_data

    cases = load_cases() if cases is None else cases
    reported = correct = 0
    carried = {"numbers": 0, "name": 0}
    found = {"numbers": 0, "name": 0}
    misses, false_alarms = [], []
    for labels, text in cases:
        predicted = {GROUPS[kind] for kind in find_personal_data(text)}
        reported += len(predicted)
        correct += len(predicted & labels)
        false_alarms += [(group, text) for group in predicted - labels]
        misses += [(group, text) for group in labels - predicted]
        for group in labels:
            bucket = "name" if group == "name" else "numbers"
            carried[bucket] += 1
            found[bucket] += group in predicted
    return {
        "cases": len(cases),
        "precision": correct / reported if reported else 1.0,
        "recall_rrn_phone_email": found["numbers"] / carried["numbers"]
        if carried["numbers"]
        else 1.0,
        "recall_names": found["name"] / carried["name"] if carried["name"] else 1.0,
        "misses": misses,
        "false_alarms": false_alarms,
    }


def run():
    result = evaluate()
    yield "personal_data_cases", result["cases"]
    yield "personal_data_precision", f"{result['precision']:.3f}"
    yield (
        "personal_data_recall_rrn_phone_email",
        f"{result['recall_rrn_phone_email']:.3f}",
    )
    yield "personal_data_recall_names", f"{result['recall_names']:.3f}"
