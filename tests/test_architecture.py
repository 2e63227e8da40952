"""The shape of the house (issue 17): imports point down and never in a circle (import-linter, in
`make check`), and what import-linter does not see: imports hidden inside functions, private names
taken from another module, a module outside every layer, and the tables of the models that moved."""

import ast
import configparser
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ita_portal", "units", "oit_items", "reports", "measures")
MAX_FUNCTION_IMPORTS = 15


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                yield name.removesuffix(".__init__"), path


def project_imports(tree):
    """(node, imported module, names, inside a function?) for every import of the project's own modules."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            found, names = node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] in PACKAGES for a in node.names):
            found, names = node.names[0].name, []
        else:
            continue
        scope = parents.get(node)
        while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope = parents.get(scope)
        yield node, found, names, scope is not None


def says_why(lines, number) -> bool:
    """A comment on the import's line, or on the line above the run of imports it belongs to."""
    if "#" in lines[number - 1]:
        return True
    above = number - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_few_imports_inside_functions_and_each_says_why():
    inside = []
    for name, path in modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, _found, _names, in_function in project_imports(ast.parse("\n".join(lines))):
            if in_function:
                inside.append((f"{name}:{node.lineno}", says_why(lines, node.lineno)))
    assert len(inside) <= MAX_FUNCTION_IMPORTS, inside
    assert [where for where, said in inside if not said] == []


def test_no_private_name_is_imported_from_another_module():
    private = [f"{name}:{node.lineno} {imported}"
               for name, path in modules()
               for node, _found, names, _inside in project_imports(ast.parse(path.read_text(encoding="utf-8")))
               for imported in names if imported.startswith("_") and not imported.startswith("__")]
    assert private == []


def test_every_module_is_in_a_layer_of_the_contract():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = [part.strip() for line in config["importlinter:contract:layers"]["layers"].split("\n")
              for part in line.replace("|", ":").split(":") if part.strip()]
    outside = [name for name, _path in modules() if name not in PACKAGES and name not in {"oit_items", "ita_portal"}
               and not any(name == layer or name.startswith(layer + ".") for layer in layers)]
    assert outside == []


def test_the_contracts_hold():
    """The same check as `make check`, so that a test run alone also catches an import pointing up."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 kept, 0 broken" in result.stdout


# The tables as they were before the restructuring: models moved between modules and packages, never
# between tables, so an existing database needs no migration and no copy.
TABLES = {
    "oit_items.Framework": "oit_items_framework", "oit_items.Item": "oit_items_item",
    "oit_items.FrameworkDraft": "oit_items_frameworkdraft", "oit_items.FrameworkRelease": "oit_items_frameworkrelease",
    "oit_items.Assignment": "oit_items_assignment", "oit_items.ItemPeriod": "oit_items_itemperiod",
    "oit_items.Evidence": "oit_items_evidence", "oit_items.Revision": "oit_items_revision",
    "oit_items.AuditEvent": "oit_items_auditevent", "oit_items.ItemReadiness": "oit_items_itemreadiness",
    "oit_items.SearchEntry": "oit_items_searchentry", "oit_items.SearchIndexState": "oit_items_searchindexstate",
    "overview.Reminder": "overview_reminder", "ita_portal.PendingTask": "ita_portal_pendingtask",
    "channels.Complaint": "channels_complaint", "channels.Question": "channels_question",
}
HOMES = {
    "oit_items.Framework": "oit_items.rulebook.models", "oit_items.Assignment": "oit_items.evidence.models",
    "oit_items.SearchEntry": "oit_items.public.models", "overview.Reminder": "oit_items.overview.models",
    "ita_portal.PendingTask": "ita_portal.lib.models",
}


def test_moved_models_keep_their_tables_and_rows(db):
    """The test database is built by the migrations as they were before the move (none was added):
    every moved model reads the table and the rows it always had."""
    existing = set(connection.introspection.table_names())
    for label, table in TABLES.items():
        model = apps.get_model(label)
        assert model._meta.db_table == table and table in existing, label
        model.objects.count()  # the columns the model expects are there
    for label, module in HOMES.items():
        assert apps.get_model(label).__module__ == module
    assert apps.get_model("oit_items.Assignment").objects.exists()  # the demo's rows, read through the new home
