"""The shape of the code: one installed name, layers that point one way, a documented CLI."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest

from tests.helpers import ROOT, invoke
from tmwatch.cli import main

# Repository folder -> installed package (pyproject's package-dir).
PACKAGE_DIRS = {
    "core": "tmwatch",
    "config": "tmwatch.config",
    "store": "tmwatch.store",
    "pipeline": "tmwatch.pipeline",
    "output": "tmwatch.output",
    "spiders": "tmwatch.spiders",
    "cli": "tmwatch.cli",
    "samples": "tmwatch.samples",
    "delivery": "tmwatch.delivery",
    "web": "tmwatch.web",
}

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")

# Lowest first. A module belongs to the layer of its longest matching prefix and may import only
# from its own layer or the ones below.
LAYERS = (
    ("record, folding, clock, samples", ("tmwatch", "tmwatch.samples")),
    ("config", ("tmwatch.config",)),
    ("store", ("tmwatch.store",)),
    ("pipeline stages", ("tmwatch.pipeline",)),
    (
        "ingest and outputs",
        (
            "tmwatch.pipeline.ingest",
            "tmwatch.pipeline.preload",  # the fork server's imports: ingest, for the workers
            "tmwatch.pipeline.reprocess",
            "tmwatch.output",
            "tmwatch.delivery",
        ),
    ),
    ("web interface", ("tmwatch.web",)),
    ("spiders and Scrapy adapters", ("tmwatch.spiders",)),
    ("command line", ("tmwatch.cli", "tmwatch.__main__")),
)


def layer_of(module: str) -> int:
    best, rank = "", -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, rank = prefix, index
    assert rank >= 0, module
    return rank


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGE_DIRS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """Every tmwatch module ``name`` imports, at any depth of the code (lazy imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    result = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            result |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            result.add(base)
            result |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in result if m == "tmwatch" or m.startswith("tmwatch.")}


def test_every_module_sits_in_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_imports_point_down_the_layers() -> None:
    known = modules()
    wrong = []
    for name, path in known.items():
        for target in imports(name, path):
            while target not in known and "." in target:
                target = target.rpartition(".")[0]  # `from x import name` names a member
            if layer_of(target) > layer_of(name):
                wrong.append(
                    f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]})"
                )
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_in_a_circle() -> None:
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = set()
        for target in imports(name, path):
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target != name and not name.startswith(target + "."):  # a package's own parent
                targets.add(target)
        graph[name] = targets
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail, node, nxt]
            if nxt not in state and (cycle := visit(nxt, [*trail, node])):
                return cycle
        state[node] = 2
        return None

    for name in sorted(graph):
        if name not in state:
            cycle = visit(name, [])
            assert cycle is None, " -> ".join(cycle)


def test_only_spiders_import_scrapy() -> None:
    offenders = []
    for name, path in modules().items():
        if name.startswith("tmwatch.spiders"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "scrapy" or n.startswith(("scrapy.", "twisted")) for n in names):
                offenders.append(name)
    assert not offenders


def test_stages_and_outputs_run_without_scrapy() -> None:
    code = (
        "import sys, tmwatch.pipeline.process, tmwatch.pipeline.reprocess, tmwatch.store,"
        " tmwatch.output.digest, tmwatch.output.search, tmwatch.output.citation;"
        "print('scrapy' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr


def build_wheel(tmp_path: Path) -> Path:
    """The wheel `pip install .` would install, built from a copy (no build/ left in the repo)."""
    source = tmp_path / "source"
    for folder in PACKAGE_DIRS:
        shutil.copytree(ROOT / folder, source / folder, ignore=IGNORE)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(wheels),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = wheels.glob("tmwatch-*.whl")
    return wheel


def test_wheel_installs_one_top_level_name(tmp_path: Path) -> None:
    """`pip install .` adds `tmwatch` and nothing else beside it (no `config`, `pipeline`...)."""
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"tmwatch"}
    for needed in (
        "tmwatch/config/sources.toml",
        "tmwatch/config/templates/watchlist.toml",
        "tmwatch/output/digest.schema.json",
        "tmwatch/samples/sources.toml",
        "tmwatch/store/migrations.py",
    ):
        assert needed in names


def _all_commands() -> list[tuple[str, ...]]:
    return [(), *((name,) for name in sorted(main.commands))]


def test_the_command_list_is_the_real_one() -> None:
    assert {
        "sources",
        "crawl",
        "demo",
        "digest",
        "search",
        "cite",
        "tag",
        "extract",
        "reprocess",
        "migrate",
        "init",
        "config",
        "run",
        "subscriptions",
        "schedule",
        "health",
        "serve",
    } <= set(main.commands)


@pytest.mark.parametrize("command", _all_commands(), ids=lambda c: c[0] if c else "tmwatch")
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    if command:
        assert main.commands[command[0]].help, f"{command[0]} has no help text"
    else:
        for name in main.commands:
            assert name in result.stdout


def test_bare_tmwatch_prints_help_and_exits_0() -> None:
    result = invoke()
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and "Commands:" in result.stdout


def test_date_options_share_one_metavar() -> None:
    for command in main.commands.values():
        for param in command.params:
            if isinstance(param, click.Option) and param.name in {"since", "until", "on"}:
                assert param.metavar == "DATE", f"{command.name} {param.opts}"


def test_global_options_work_after_the_command(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    before = invoke("--home", str(missing), "digest")
    after = invoke("digest", "--home", str(missing))
    assert before.exit_code == after.exit_code == 1
    assert str(missing) in before.stderr and str(missing) in after.stderr


def test_scrapy_cfg_finds_the_spider_and_settings() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["outlets"]


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_non_editable_install_runs_from_anywhere(tmp_path: Path) -> None:
    """A plain (non-editable) install of the wheel, used from outside the repository."""
    wheel = build_wheel(tmp_path)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import sys, tmwatch, tmwatch.cli;"
        "from tmwatch.config.user import ConfigFiles;"
        "print(tmwatch.__file__);"
        "print(len(ConfigFiles(packaged_only=True).load_registry().sources))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    location, count = proc.stdout.split()
    assert Path(location).is_relative_to(target) and int(count) >= 13
