"""The practice view model is a service below the web package: it knows nothing of requests,
and the review, talent and author pages use it without going through the practice blueprint."""

import ast
from pathlib import Path

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_practice_view_model_imports_neither_flask_nor_the_web_package():
    modules = list((SANDBOX / "practice_view").glob("*.py"))
    assert {"feed.py", "workspace.py", "debrief.py", "hints.py", "poll.py"} <= {
        module.name for module in modules}
    for module in modules:
        wrong = {name for name in imports(module)
                 if name.split(".")[0] in ("flask", "flask_login")
                 or name.startswith("sandbox.web")}
        assert wrong == set(), f"{module.name} imports {wrong}"


def test_review_talent_and_author_pages_do_not_import_the_practice_blueprint():
    for blueprint in ("review", "talent", "author"):
        for module in (SANDBOX / "web" / blueprint).glob("*.py"):
            assert not {name for name in imports(module)
                        if name.startswith("sandbox.web.practice")}, module
