"""The layout holds: the import contracts of pyproject.toml are kept and no module is too long."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def test_no_module_of_the_app_is_over_400_lines():
    """A module over 400 lines is two modules waiting to be named (migrations aside)."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "projects").rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}, f"modules over {MAX_LINES} lines: {too_long}"


def test_the_import_contracts_are_kept():
    """import-linter checks the layers, the independence of the rooms and that there is no
    import cycle; its report names the import that breaks a contract."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_page_module_is_one_no_output_may_import():
    """A room's pages split over several modules (`map_views`, `life_views`, …) are pages
    to the contracts as its `views` is: the wildcard `projects.*.views` does not see them,
    so each is named in the outputs' forbidden list."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    outputs = next(
        contract
        for contract in contracts["tool"]["importlinter"]["contracts"]
        if contract["name"].startswith("Outputs")
    )
    pages = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "projects").glob("*/*_views.py")
    }
    assert pages and pages <= set(outputs["forbidden_modules"]), pages - set(
        outputs["forbidden_modules"]
    )


def test_every_concern_has_its_room_for_code_templates_and_tests():
    """Each concern keeps its pages, templates and tests under its own name."""
    for concern in ("register", "reporting", "meetings", "exchange"):
        assert (ROOT / "projects" / concern / "views.py").is_file()
        assert (ROOT / "projects" / concern / "urls.py").is_file()
        assert any((ROOT / "templates" / "projects" / concern).glob("*.html"))
        assert any((ROOT / "tests" / concern).glob("test_*.py"))


@pytest.mark.django_db
def test_every_page_uses_the_one_permission_mixin_and_names_an_existing_right():
    """Each page of the app is a RoleRequiredMixin naming its right in permission_required,
    and each right named is a permission that exists (a misspelt one would refuse everyone)."""
    from django.contrib.auth.models import Permission
    from django.urls import URLPattern, URLResolver, get_resolver

    from projects.permissions import RoleRequiredMixin

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "projects":
                yield pattern

    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    pages = list(walk(get_resolver().url_patterns, None))
    assert len(pages) > 60
    for pattern in pages:
        view = getattr(pattern.callback, "view_class", None)
        assert view is not None and issubclass(view, RoleRequiredMixin), pattern.name
        rights = view().get_permission_required()
        assert rights and set(rights) <= existing, (pattern.name, rights)


def test_the_slow_tests_are_left_out_only_by_make_test_fast():
    """`make test-fast` leaves out the tests marked @pytest.mark.slow; `make test`, which CI
    runs on SQLite and on PostgreSQL, and the pytest options deselect nothing."""
    import re
    import tomllib

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^([\w-]+):[^\n]*\n\t([^\n]+)", makefile, re.M))
    assert '-m "not slow"' in recipes["test-fast"]
    assert "slow" not in recipes["test"] and " -m " not in recipes["test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.count("\nmake test\n") == 2 and "slow" not in ci
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert "slow" not in pytest_options["addopts"]
    assert any(marker.startswith("slow:") for marker in pytest_options["markers"])


def test_every_admin_page_of_the_app_writes_through_actions():
    """Read from the admin's registry: every ModelAdmin of a model of the app, or registered
    by the app (django-axes' records of log-ins), is an ActionAdmin (its saves, its inlines' and its deletions are actions: projects/actions.py
    or its concern's), and none writes a model itself by overriding the hooks the mixin
    routes (save_model, save_formset, delete_model, delete_queryset)."""
    from django.contrib import admin

    from projects.action_admin import ActionAdmin

    hooks = ["save_model", "save_formset", "delete_model", "delete_queryset"]
    pages = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "projects"
        or type(model_admin).__module__.startswith("projects.")
    }
    assert len(pages) >= 23
    for model, model_admin in pages.items():
        assert isinstance(model_admin, ActionAdmin), model
        mro = type(model_admin).__mro__
        for hook in hooks:
            owner = next(cls for cls in mro if hook in vars(cls))
            # ActionAdmin's own, or Django's beneath it (save_formset: never called)
            assert mro.index(owner) >= mro.index(ActionAdmin), (model, hook, owner)
