"""How a store names the registry it was crawled with, so ``reprocess`` can find it again.

An installed file path would break on the next upgrade (the package moves), so the packaged
registries are named, not located: ``packaged`` (the packaged registry with the user's overlay)
and ``samples`` (the sample outlets'); only an explicit ``--registry`` file is stored as a path.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tmwatch.config.user import ConfigFiles
from tmwatch.samples import SAMPLE_REGISTRY

PACKAGED = "packaged"
SAMPLES = "samples"


def registry_reference(files: ConfigFiles) -> str:
    if files.registry is None:
        return PACKAGED
    if files.registry.resolve() == SAMPLE_REGISTRY.resolve():
        return SAMPLES
    return str(files.registry.resolve())


def files_for_reference(reference: str | None, base: str | None, files: ConfigFiles) -> ConfigFiles:
    """``files`` (the user's choice for this command) with the registry the reference names."""
    if files.registry is not None:  # an explicit --registry wins
        return files
    if reference in (None, "", PACKAGED):
        return files
    registry = SAMPLE_REGISTRY if reference == SAMPLES else Path(reference)
    return replace(files, registry=registry, registry_base=base or None)
