"""One language at a time (issue 21): no string of the product holds a Korean
and an English sentence joined by " / ", so nobody reads every message twice.

Every .py, .html and .js file of the apps is read (not the virtualenv, tests,
migrations, catalogues or the benchmarks). In Python only string literals
count, f-strings included — comments and docstrings do not — and so does a
helper that glues a Korean and an English value (``f"{ko} / {en}"``). A line
that must keep both (none today) says so with ``one-language: allow``.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "artifacts",
    "backups",
    "bench",  # load-test scripts, not the product
    "control",
    "locale",
    "media",
    "migrations",  # historic: they ran as written
    "node_modules",
    "private",
    "static",
    "tests",
    "var",
}
ALLOW = "one-language: allow"

# Hangul, then " / ", then a Latin word (or the other way round).
PAIR = re.compile(
    r"[가-힣][^/\n]* / [^/\n]*[A-Za-z]{2}|[A-Za-z]{2}[^/\n]* / [^/\n]*[가-힣]"
)
# f"{ko} / {en}", f"{name_ko} / {name_en}", f"{korean} / {english}" …
KOREAN_VALUE = re.compile(r"(^|[._])(ko|korean)$|_ko\b|\bko\b|korean")
ENGLISH_VALUE = re.compile(r"(^|[._])(en|english)$|_en\b|\ben\b|english")
TEMPLATE_COMMENT = re.compile(
    r"\{#.*?#\}|<!--.*?-->|\{% comment %\}.*?\{% endcomment %\}"
)


@dataclass(frozen=True)
class Pair:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text[:100]!r}"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of string constants that stand alone as statements (docstrings
    and the like): prose for the programmer, never shown."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _glues_two_languages(node: ast.JoinedStr) -> bool:
    values = node.values
    for first, middle, last in zip(values, values[1:], values[2:], strict=False):
        if (
            isinstance(first, ast.FormattedValue)
            and isinstance(middle, ast.Constant)
            and middle.value.strip() == "/"
            and isinstance(last, ast.FormattedValue)
            and KOREAN_VALUE.search(ast.unparse(first.value))
            and ENGLISH_VALUE.search(ast.unparse(last.value))
        ):
            return True
    return False


def python_pairs(source: str, path: str = "<source>") -> list[Pair]:
    """Pairs in a Python module's string literals (not comments, not docstrings)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    skip = _docstrings(tree)
    inside_fstrings = {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for value in node.values
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
            )
            hit = PAIR.search(text) or _glues_two_languages(node)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and id(node) not in inside_fstrings
        ):
            text = node.value
            hit = PAIR.search(text)
        else:
            continue
        if not hit:
            continue
        span = lines[node.lineno - 1 : node.end_lineno]
        before = lines[node.lineno - 2] if node.lineno > 1 else ""
        if any(ALLOW in line for line in [before, *span]):
            continue
        found.append(Pair(path, node.lineno, text))
    return sorted(set(found), key=lambda pair: pair.line)


def template_pairs(source: str, path: str = "<template>") -> list[Pair]:
    """Pairs on the lines of a template or a script (comments left out)."""
    text = TEMPLATE_COMMENT.sub(lambda match: "\n" * match.group().count("\n"), source)
    return [
        Pair(path, number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if PAIR.search(line)
        and ALLOW not in line
        and not line.lstrip().startswith("//")
    ]


def product_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*")
        if path.suffix in (".py", ".html", ".js")
        and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts[:-1])
        and path.is_file()
    )


def pairs_in(path: Path) -> list[Pair]:
    relative = path.relative_to(ROOT).as_posix()
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return python_pairs(source, relative)
    return template_pairs(source, relative)


def test_no_string_of_the_product_holds_korean_and_english_at_once():
    found = [pair for path in product_files() for pair in pairs_in(path)]
    assert not found, "one language at a time:\n" + "\n".join(map(str, found))


def test_the_walk_reads_the_apps_and_their_templates():
    files = {path.relative_to(ROOT).as_posix() for path in product_files()}
    assert "reporting/checks.py" in files
    assert "reporting/spreadsheets/template.py" in files
    assert "templates/base.html" in files
    assert not any(name.startswith(("tests/", ".venv/")) for name in files)
    assert not any("/migrations/" in name for name in files)


def test_the_checker_catches_a_planted_pair_and_ignores_comments_and_docstrings():
    source = '''
"""A docstring may say "한국어 / English"."""

# A comment may too: "한국어 / English".
PLAIN = "승인된 월은 잠겨 있습니다. / An accepted month is locked."
JOINED = (
    "보고 월이 아직 오지 않았습니다. "
    "/ The month is in the future."
)
SHAPED = f"명단 {row}행: 채용일이 없습니다. / Roster row {row}: no hire date."
GLUED = f"{korean} / {english}"
NAMES = f"{indicator.name_ko} / {indicator.name_en}"
KOREAN_ONLY = "보고 월이 아직 오지 않았습니다."
ENGLISH_ONLY = "and/or / either"
ALLOWED = "오류 / error"  # one-language: allow (a downloadable report)


def helper():
    """Nor a function's docstring: "경고 / warning"."""
    return "0 이상 / 0 or more"
'''
    lines = [pair.line for pair in python_pairs(source)]
    assert lines == [5, 7, 10, 11, 12, 20]
    template = (
        '<p>{% translate "Back" %} / 뒤로</p>\n'
        "{# 한국어 / English in a comment #}\n"
        '<p>{% translate "Back" %}</p>\n'
    )
    assert [pair.line for pair in template_pairs(template)] == [1]
