"""``copy-store``: move an archive between store engines (SQLite, PostgreSQL) and prove it whole.

The work is ``tmwatch.store.copy``'s; this module opens the two stores, prints progress, the
per-table counts and the checksum, and copies the WARC files the database does not hold.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from tmwatch.cli.app import UsageFailure, main
from tmwatch.store import DataHome, Store, StoreError
from tmwatch.store.database import connect_postgres, is_postgres_url, redacted
from tmwatch.store.migrations import migrate, stored_version

PROGRESS_EVERY = 10_000
"""Rows between two progress lines on stderr (tables smaller than this print none)."""


def _describe(location: str) -> str:
    return redacted(location) if "://" in location else location


def _same_place(source: str, target: str) -> bool:
    if is_postgres_url(source) or is_postgres_url(target):
        return source.rstrip("/") == target.rstrip("/")
    return Path(source).expanduser().resolve() == Path(target).expanduser().resolve()


def _check_location(location: str, name: str) -> None:
    """A location is a postgresql:// URL or a directory path: another URL is a typo."""
    if "://" in location and not is_postgres_url(location):
        raise UsageFailure(
            f"{name}: {_describe(location)!r} is neither a data home nor a postgresql:// URL"
        )


def _open_source(location: str) -> Store:
    """The source, read-only: it must exist and be at this tmwatch's schema."""
    if is_postgres_url(location):
        home = DataHome(store=location)
    else:
        home = DataHome(location)
    try:
        return Store(home, create=False, readonly=True)
    except StoreError as exc:
        raise click.ClickException(f"source: {exc}") from None


def _open_target(location: str, *, create: bool) -> Store:
    """The target; with ``create``, a new store (SQLite file in a new data home, or the schema
    in an empty PostgreSQL database) where there is none yet."""
    try:
        if not is_postgres_url(location):
            return Store(DataHome(location), create=create)
        if create:
            # Store(create=True) would also create a data home for the URL; only the schema
            # is wanted, the WARC files are handled below.
            try:
                db = connect_postgres(location)
            except ConnectionError as exc:
                raise StoreError(str(exc)) from None
            try:
                if stored_version(db) == 0:
                    migrate(db)
            finally:
                db.close()
        return Store(DataHome(store=location), create=False)
    except StoreError as exc:
        raise click.ClickException(f"target: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"target: {location}: {exc.strerror or exc}") from None


def _progress(table: str, done: int, total: int) -> None:
    if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
        click.echo(f"  {table}: {done:,} of {total:,} rows", err=True)


def _target_warc_dir(ctx: click.Context, target: str) -> Path | None:
    """Where the target's users will read WARC files: --warc-dir, else the target data home's
    (TARGET itself, or --home for a database); None when nothing names a place."""
    chosen = ctx.obj.get("warc_dir")
    if chosen:
        return Path(chosen).expanduser()
    if not is_postgres_url(target):
        return DataHome(target).warc_dir
    home = ctx.obj.get("home")
    return DataHome(home).warc_dir if home else None


def _move_warc_files(ctx: click.Context, source: str, target: str, store: Store) -> bool:
    """Copy or point at the WARC files; False when a file could not be placed."""
    from tmwatch.store.copy import copy_warc_files, warc_files

    names = warc_files(store)
    target_dir = _target_warc_dir(ctx, target)
    if is_postgres_url(source):
        where = f"into {target_dir}" if target_dir else "into the target's WARC directory"
        click.echo(
            f"WARC files: not copied (the source is a database): copy the {len(names)} files "
            f"its captures name from the source's WARC directory {where}"
        )
        return True
    source_dir = DataHome(source).warc_dir
    if target_dir is None:
        click.echo(
            f"WARC files: not copied; the captures' {len(names)} files stay in {source_dir} "
            f"(point the target's users at it with --warc-dir, or copy them with --home DIR)"
        )
        return True
    if source_dir.resolve() == target_dir.expanduser().resolve():
        click.echo(f"WARC files: the target shares the source's WARC directory {source_dir}")
        return True
    report = copy_warc_files(names, source_dir, target_dir)
    click.echo(
        f"WARC files: {len(report.copied)} copied to {target_dir}, "
        f"{len(report.identical)} already there"
    )
    for name in report.missing:
        click.echo(f"! WARC file {name} is missing from {source_dir}", err=True)
    for name in report.conflicting:
        click.echo(
            f"! WARC file {target_dir / name} differs from the source's: left alone", err=True
        )
    return not report.conflicting


@main.command("copy-store")
@click.argument("source", metavar="SOURCE")
@click.argument("target", metavar="TARGET")
@click.option(
    "--verify-only",
    is_flag=True,
    help="Copy nothing: compare the two stores' row counts and articles' checksum.",
)
@click.pass_context
def copy_store(ctx: click.Context, source: str, target: str, verify_only: bool) -> None:
    """Copy a whole store to another engine, then verify the copy.

    \b
    SOURCE and TARGET are each a data home directory (its SQLite store) or a
    postgresql:// URL: SQLite to PostgreSQL, PostgreSQL to SQLite, or SQLite to SQLite.
    The source must be at this tmwatch's schema (`tmwatch migrate` first); the target
    must hold no data (a new directory, or an empty database: its schema is created).

    \b
    Every table is copied with its ids, in one transaction: an interrupted copy leaves
    the target empty, and the command can be run again. Then both stores are compared:
    row counts of every table, and a sha256 over every article's id, text and capture
    reference. A difference exits 1 naming the table.

    \b
    WARC files are not in the database. When SOURCE is a data home and the target keeps
    its captures elsewhere (TARGET's warc/ directory, --home DIR's for a URL, or
    --warc-dir), the files the captures name are copied there (owner-only, under a
    temporary name then renamed; identical files are skipped). Otherwise the command
    says where the captures' WARC files are. (--store is not used: name both stores.)
    """
    from tmwatch.store.copy import CopyError, copy_store, verify

    for location, name in ((source, "SOURCE"), (target, "TARGET")):
        _check_location(location, name)
    if _same_place(source, target):
        raise UsageFailure("SOURCE and TARGET are the same store")
    started = time.monotonic()
    click.echo(f"{'verify' if verify_only else 'copy'}: {_describe(source)} -> {_describe(target)}")
    with (
        _open_source(source) as source_store,
        _open_target(target, create=not verify_only) as target_store,
    ):
        try:
            if not verify_only:
                report = copy_store(source_store, target_store, progress=_progress)
                rows = sum(report.rows.values())
                click.echo(
                    f"copied {rows:,} rows of {len(report.rows)} tables in {report.seconds:.1f} s"
                )
            checked = verify(source_store, target_store)
        except CopyError as exc:
            raise click.ClickException(str(exc)) from None
        width = max(len(name) for name in checked.counts)
        click.echo(f"  {'table':<{width}}  {'source':>9}  {'target':>9}")
        for name, (here, there) in checked.counts.items():
            mark = "" if here == there else "  <- differs"
            click.echo(f"  {name:<{width}}  {here:>9,}  {there:>9,}{mark}")
        if not checked.ok:
            raise click.ClickException(f"verification failed: {checked.problem}")
        click.echo(
            f"verified: {checked.articles} articles, {checked.captures} captures, "
            f"checksum {checked.checksum[:16]}"
        )
        placed = True if verify_only else _move_warc_files(ctx, source, target, source_store)
    click.echo(f"elapsed: {time.monotonic() - started:.1f} s", err=True)
    if not placed:
        ctx.exit(1)
