"""The user's configuration directory: overlays on the packaged lists, `init` and `config`.

All texts, people and outlets here are synthetic. Commands run in process with click's runner.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import tmwatch.cli
from tmwatch.config.errors import ConfigError, Origins, Problems
from tmwatch.config.lexicons import (
    DEFAULT_WATCHLIST,
    LexiconError,
    load_topics,
    load_watchlist,
)
from tmwatch.config.registry import RegistryError, load_registry
from tmwatch.config.user import (
    FILE_NAMES,
    ConfigFiles,
    config_dir_origin,
    default_config_dir,
    init_config_dir,
    template,
)
from tmwatch.pipeline.tagging import Tagger

NEW_PERSON = """
[people.maral-testova]
name = "Maral Testova"
first = ["Maral", "Марал"]
last = ["Testova", "Testowa", "Тестова"]
gender = "f"
distinctive = true
"""


@pytest.fixture(autouse=True)
def _restore_process_state() -> Iterator[None]:
    """`main` sets the umask and replaces the root log handlers; keep that inside each test."""
    umask = os.umask(0o022)
    os.umask(umask)
    handlers = logging.getLogger().handlers[:]
    level = logging.getLogger().level
    yield
    os.umask(umask)
    logging.getLogger().handlers[:] = handlers
    logging.getLogger().setLevel(level)


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(tmwatch.cli.main, list(args), env=env, catch_exceptions=False)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def uncommented(text: str) -> str:
    """A template with every example switched on ("# " code lines; "##" lines are prose)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("# "):
            lines.append(line[2:])
        elif not line.startswith("#"):
            lines.append(line)
    return "\n".join(lines) + "\n"


# -- where the directory is -----------------------------------------------------------------------


def test_directory_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TMWATCH_CONFIG", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert default_config_dir() == tmp_path / "home" / ".config" / "tmwatch"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/xdg")  # the XDG spec: ignore relative paths
    assert config_dir_origin() == (tmp_path / "home" / ".config" / "tmwatch", "default")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir_origin() == (tmp_path / "xdg" / "tmwatch", "$XDG_CONFIG_HOME")
    monkeypatch.setenv("TMWATCH_CONFIG", str(tmp_path / "mine"))
    assert config_dir_origin() == (tmp_path / "mine", "$TMWATCH_CONFIG")
    assert ConfigFiles().directory() == tmp_path / "mine"
    assert ConfigFiles(config_dir=tmp_path / "flag").directory() == tmp_path / "flag"


def test_cli_uses_the_environment_and_the_option(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TMWATCH_CONFIG", raising=False)
    env = {"TMWATCH_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    result = invoke("init", env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xdg" / "tmwatch" / "watchlist.toml").is_file()
    env["TMWATCH_CONFIG"] = str(tmp_path / "env")
    shown = json.loads(invoke("config", "--json", env=env).stdout)
    assert (shown["config_dir"], shown["config_dir_from"]) == (
        str(tmp_path / "env"),
        "$TMWATCH_CONFIG",
    )
    shown = json.loads(
        invoke("config", "--json", "--config-dir", str(tmp_path / "o"), env=env).stdout
    )
    assert shown["config_dir"] == str(tmp_path / "o") and shown["config_dir_from"] == "--config-dir"


# -- tmwatch init ---------------------------------------------------------------------------------


def test_init_writes_owner_only_commented_files_that_change_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "cfg"
    result = invoke("init", "--config-dir", str(directory))
    assert result.exit_code == 0, result.output
    assert mode(directory) == 0o700
    for name in FILE_NAMES.values():
        path = directory / name
        assert f"wrote    {path}" in result.stdout
        assert mode(path) == 0o600
        text = path.read_text(encoding="utf-8")
        assert "enabled = false" in text and "# [" in text  # examples: add, override, disable
        assert tomllib.loads(text) == {}  # ... and all of them are comments
    files = ConfigFiles(config_dir=directory)
    assert files.load_registry().sources == load_registry().sources
    assert files.load_watchlist() == load_watchlist()
    assert files.load_topics() == load_topics()
    assert all(
        r.mode == "overlay" and not (r.added or r.overridden or r.disabled) for r in files.report()
    )


def test_template_examples_work_when_uncommented(tmp_path: Path) -> None:
    for kind, name in FILE_NAMES.items():
        write(tmp_path, name, uncommented(template(kind)))
    reports = {r.kind: r for r in ConfigFiles(config_dir=tmp_path).report()}
    assert all(not r.problems for r in reports.values()), reports
    assert reports["sources"].added == ("example-outlet",)
    assert reports["sources"].overridden == ("ng",)
    assert reports["sources"].disabled == ("hronikatm-en",)
    assert reports["watchlist"].overridden == ("people.aziz-mamedov",)  # named by canonical name
    assert reports["watchlist"].disabled == ("places.migration-office",)
    assert reports["topics"].added == ("hunger-strike",)


def test_reinit_keeps_existing_files_untouched(tmp_path: Path) -> None:
    mine = write(tmp_path, "watchlist.toml", NEW_PERSON)
    os.chmod(mine, 0o640)
    result = invoke("init", "--config-dir", str(tmp_path))
    assert result.exit_code == 0
    assert f"kept     {mine}" in result.stdout and "others can read it" in result.stdout
    assert mine.read_text(encoding="utf-8") == NEW_PERSON and mode(mine) == 0o640
    assert f"wrote    {tmp_path / 'topics.toml'}" in result.stdout
    assert not list(tmp_path.glob("*.bak"))


def test_force_keeps_a_dated_backup(tmp_path: Path) -> None:
    mine = write(tmp_path, "watchlist.toml", NEW_PERSON)
    result = invoke("init", "--force", "--config-dir", str(tmp_path))
    assert result.exit_code == 0
    (backup,) = tmp_path.glob("watchlist.toml.*.bak")
    assert re.fullmatch(r"watchlist\.toml\.\d{4}-\d\d-\d\dT\d{6}\.bak", backup.name)
    assert f"replaced {mine} (old file kept as {backup})" in result.stdout
    assert backup.read_text(encoding="utf-8") == NEW_PERSON and mode(backup) == 0o600
    assert mine.read_text(encoding="utf-8") == template("watchlist") and mode(mine) == 0o600
    # Two forced inits in the same second keep both old files.
    now = datetime(2026, 11, 29, 17, 5, 1)
    init_config_dir(tmp_path, force=True, now=now)
    init_config_dir(tmp_path, force=True, now=now)
    assert (tmp_path / "topics.toml.2026-11-29T170501.bak").is_file()
    assert (tmp_path / "topics.toml.2026-11-29T170501-1.bak").is_file()


# -- overlays -------------------------------------------------------------------------------------


def test_an_added_person_is_tagged_and_packaged_people_still_are(tmp_path: Path) -> None:
    write(tmp_path, "watchlist.toml", NEW_PERSON)
    files = ConfigFiles(config_dir=tmp_path)
    tagger = Tagger(files.load_watchlist(), files.load_topics())
    assert tagger.tag("Марал Тестову вызвали в миграционную службу.").persons == ["Maral Testova"]
    assert tagger.tag("Testowa bilen söhbetdeşlik geçirildi.").persons == ["Maral Testova"]
    assert tagger.tag("Ахмед Рахманов дал интервью.").persons == ["Akhmed Rakhmanov"]
    packaged = Tagger(load_watchlist(), load_topics())
    assert packaged.tag("Марал Тестову вызвали в миграционную службу.").persons == []


def test_an_override_changes_one_field_and_keeps_the_others(tmp_path: Path) -> None:
    write(tmp_path, "sources.toml", "[sources.ng]\ndownload_delay = 15\n")
    write(
        tmp_path,
        "watchlist.toml",
        '[people.kamil-abulov]\ndistinctive = false\n[people."Merdan Badrov"]\ngender = "F"\n',
    )
    write(tmp_path, "topics.toml", '[topics.detention.terms]\nen = ["held incommunicado"]\n')
    files = ConfigFiles(config_dir=tmp_path)
    packaged_ng, ng = load_registry().sources["ng"], files.load_registry().sources["ng"]
    assert ng.download_delay == 15 and packaged_ng.download_delay == 8
    assert (ng.feeds, ng.outlet, ng.concurrency) == (
        packaged_ng.feeds,
        packaged_ng.outlet,
        packaged_ng.concurrency,
    )
    people = {p.key: p for p in files.load_watchlist().people}
    packaged = {p.key: p for p in load_watchlist().people}
    assert people["kamil-abulov"].distinctive is False
    assert people["kamil-abulov"].last == packaged["kamil-abulov"].last
    assert people["merdan-badrov"].gender == "f"  # matched by canonical name; "F" normalised
    assert people["merdan-badrov"].first == packaged["merdan-badrov"].first
    assert len(people) == len(packaged)  # overriding by name did not add a second person
    detention = {t.key: t for t in files.load_topics()}["detention"]
    packaged_detention = {t.key: t for t in load_topics()}["detention"]
    assert detention.terms["en"] == ("held incommunicado",)
    assert detention.terms["ru"] == packaged_detention.terms["ru"]
    tagger = Tagger(files.load_watchlist(), files.load_topics())
    assert "detention" in tagger.tag("The activist was held incommunicado.", language="en").tags


def test_enabled_false_disables_a_source_a_person_and_a_topic(tmp_path: Path) -> None:
    write(tmp_path, "sources.toml", "[sources.ng]\nenabled = false\n")
    write(tmp_path, "watchlist.toml", "[people.kamil-abulov]\nenabled = false\n")
    write(tmp_path, "topics.toml", "[topics.turkmen-detention-turkey]\nenabled = false\n")
    files = ConfigFiles(config_dir=tmp_path)
    registry = files.load_registry()
    assert registry.sources["ng"].enabled is False  # still listed, not crawled by default
    assert registry.sources["ng"].feeds == load_registry().sources["ng"].feeds
    assert "Kamil Abulov" not in {p.name for p in files.load_watchlist().people}
    assert [t.key for t in files.load_topics()] == ["detention"]
    tagger = Tagger(files.load_watchlist(), files.load_topics())
    result = tagger.tag(
        "Камила Абулова задержали в Стамбуле, он туркменский активист.", language="ru"
    )
    assert result.persons == [] and result.tags == ["detention"]
    reports = {r.kind: r for r in files.report()}
    assert reports["sources"].disabled == ("ng",)
    assert reports["watchlist"].disabled == ("people.kamil-abulov",)
    assert reports["topics"].disabled == ("turkmen-detention-turkey",)


def test_disabling_an_event_topic_its_scoped_topic_needs_is_explained(tmp_path: Path) -> None:
    user = write(tmp_path, "topics.toml", "[topics.detention]\nenabled = false\n")
    with pytest.raises(LexiconError) as info:
        ConfigFiles(config_dir=tmp_path).load_topics()
    assert info.value.path == str(user)
    assert "'detention' is disabled" in str(info.value)


def test_packaged_only_and_explicit_files_ignore_the_overlay(tmp_path: Path) -> None:
    write(tmp_path, "sources.toml", "[sources.ng]\nenabled = false\n")
    write(tmp_path, "watchlist.toml", NEW_PERSON)
    demo = ConfigFiles(config_dir=tmp_path, packaged_only=True)
    assert demo.load_registry().sources["ng"].enabled is True
    assert demo.load_watchlist() == load_watchlist()
    assert {r.mode for r in demo.report()} == {"packaged-only"}
    alone = write(tmp_path / "elsewhere", "w.toml", NEW_PERSON)
    explicit = ConfigFiles(config_dir=tmp_path, watchlist=alone)
    assert [p.name for p in explicit.load_watchlist().people] == ["Maral Testova"]
    report = {r.kind: r for r in explicit.report()}["watchlist"]
    assert report.mode == "explicit" and report.explicit == alone and report.user is None


def test_a_missing_user_file_is_no_overlay(tmp_path: Path) -> None:
    files = ConfigFiles(config_dir=tmp_path / "never-created")
    assert files.load_watchlist() == load_watchlist()
    result = invoke("config", "--config-dir", str(tmp_path / "never-created"))
    assert result.exit_code == 0
    assert f"none at {tmp_path / 'never-created' / 'sources.toml'}" in result.stdout


# -- tmwatch config -------------------------------------------------------------------------------


def test_config_command_names_files_and_changes(tmp_path: Path) -> None:
    sources = write(
        tmp_path, "sources.toml", "[sources.ng]\nenabled = false\n[sources.rferl]\nmin_words = 50\n"
    )
    watchlist = write(
        tmp_path,
        "watchlist.toml",
        NEW_PERSON + '[places.tuzla-deportation-centre]\nterms = ["Tuzla", "Тузла"]\n',
    )
    result = invoke("config", "--config-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"yours:     {sources}" in out and f"yours:     {watchlist}" in out
    assert f"packaged:  {DEFAULT_WATCHLIST}" in out
    assert "disables:  ng" in out and "overrides: rferl" in out
    assert "adds:      people.maral-testova" in out
    assert "overrides: places.tuzla-deportation-centre" in out
    assert "in effect: 9 people, 4 places" in out
    data = json.loads(invoke("config", "--json", "--config-dir", str(tmp_path)).stdout)
    layers = {layer["kind"]: layer for layer in data["layers"]}
    assert layers["sources"]["user"] == str(sources)
    assert layers["sources"]["disabled"] == ["ng"] and layers["sources"]["overridden"] == ["rferl"]
    assert layers["watchlist"]["added"] == ["people.maral-testova"]
    assert layers["topics"]["mode"] == "packaged" and layers["topics"]["user"] is None


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("sources.toml", '[sources.ng]\nlanguages = ["xx"]\n', "source 'ng', field 'languages'"),
        ("sources.toml", "[sources.ng]\nfeed = []\n", "source 'ng', field 'feed': unknown field"),
        (
            "sources.toml",
            '[sources.new-outlet]\nname = "N"\n',
            "source 'new-outlet', field 'outlet': required text is missing",
        ),
        (
            "watchlist.toml",
            "[people.kamil-abulov]\nlast = []\n",
            "person 'kamil-abulov', field 'last'",
        ),
        ("watchlist.toml", "[people.nobody]\nenabled = false\n", "no packaged person 'nobody'"),
        ("watchlist.toml", "[person.x]\nname = 'X'\n", "[person]: unknown table"),
        (
            "topics.toml",
            "[topics.detention.terms]\nXX = ['y']\n",
            "field 'terms'.XX: unknown language",
        ),
        (
            "topics.toml",
            "[topics.detention]\nenabled = 'no'\n",
            "field 'enabled': must be true or false",
        ),
        ("topics.toml", "[topics.x\n", "invalid TOML"),
    ],
)
def test_errors_name_the_user_file_the_entry_and_the_field(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    user = write(tmp_path, name, content)
    files = ConfigFiles(config_dir=tmp_path)
    loader = {
        "sources.toml": files.load_registry,
        "watchlist.toml": files.load_watchlist,
        "topics.toml": files.load_topics,
    }[name]
    with pytest.raises(ConfigError) as info:
        loader()
    assert info.value.path == str(user)
    assert any(expected in p for p in info.value.problems), info.value.problems
    assert isinstance(info.value, RegistryError if name == "sources.toml" else LexiconError)
    result = invoke("config", "--config-dir", str(tmp_path))
    assert result.exit_code == 2 and f"{user}: " in result.stdout and expected in result.stdout


def test_an_unreadable_user_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "watchlist.toml").mkdir()
    with pytest.raises(LexiconError, match="cannot read"):
        ConfigFiles(config_dir=tmp_path).load_watchlist()
    (tmp_path / "topics.toml").symlink_to(tmp_path / "gone.toml")
    with pytest.raises(LexiconError, match="broken symbolic link"):
        ConfigFiles(config_dir=tmp_path).load_topics()


def test_problems_blame_the_file_each_field_came_from() -> None:
    origins = Origins("packaged.toml")
    origins.mark(("people", "x", "gender"), "mine.toml")
    problems = Problems("packaged.toml", origins)
    problems.add("person 'x', field 'gender': bad", ("people", "x", "gender"))
    problems.add("person 'x', field 'last': bad", ("people", "x", "last"))
    with pytest.raises(LexiconError) as info:
        problems.raise_if_any(LexiconError)
    assert info.value.path == "mine.toml"  # the file the user can edit comes first
    assert info.value.problems == [
        "person 'x', field 'gender': bad",
        "packaged.toml: person 'x', field 'last': bad",
    ]


# -- enumerated fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "stored"), [("F", "f"), ("female", "f"), (" Male ", "m")])
def test_gender_variants_are_normalised(tmp_path: Path, given: str, stored: str) -> None:
    write(tmp_path, "watchlist.toml", NEW_PERSON.replace('gender = "f"', f'gender = "{given}"'))
    people = ConfigFiles(config_dir=tmp_path).load_watchlist().people
    assert {p.key: p.gender for p in people}["maral-testova"] == stored


def test_an_unknown_gender_is_one_line_naming_file_entry_and_field(tmp_path: Path) -> None:
    user = write(tmp_path, "watchlist.toml", NEW_PERSON.replace('gender = "f"', 'gender = "x"'))
    with pytest.raises(LexiconError) as info:
        ConfigFiles(config_dir=tmp_path).load_watchlist()
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(
        f"{user}: person 'maral-testova', field 'gender': 'x' is not one of f, m"
    )


def test_language_codes_ignore_case_and_reject_unknown_codes(tmp_path: Path) -> None:
    write(tmp_path, "sources.toml", '[sources.ng]\nlanguages = ["RU"]\n')
    write(tmp_path, "topics.toml", '[topics.detention.terms]\nEN = ["held incommunicado"]\n')
    files = ConfigFiles(config_dir=tmp_path)
    assert files.load_registry().sources["ng"].languages == ("ru",)
    detention = {t.key: t for t in files.load_topics()}["detention"]
    assert detention.terms["en"] == ("held incommunicado",)
    write(tmp_path, "sources.toml", '[sources.ng]\nlanguages = ["tm"]\n')
    with pytest.raises(RegistryError, match=r"'tm' is not one of en, ru, tk, tr"):
        files.load_registry()
