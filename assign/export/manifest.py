"""`manifest.json`: what one export wrote into its folder — each file with its size and SHA-256, what
it is about (the term, the scenario) and when — so that the next export into the same folder removes
exactly those files it no longer writes, and never one the office put there (`atomic_folder`'s `owned`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assign.export.atomic import write_text

MANIFEST = "manifest.json"


class ManifestFile(BaseModel):
    path: str = Field(description="relative to the folder, with / between folders")
    bytes: int
    sha256: str


class Manifest(BaseModel):
    """One export's own files, and what they are about."""

    kind: str = Field(description="which command's set: calendar")
    term: str | None = None
    scenario: str = ""
    written_at: dt.datetime
    files: list[ManifestFile] = Field(default_factory=list)

    def paths(self) -> list[str]:
        """The files this export wrote, the manifest itself among them."""
        return [f.path for f in self.files] + [MANIFEST]


def file_entry(folder: Path, path: Path) -> ManifestFile:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        for block in iter(lambda: fp.read(1 << 16), b""):
            digest.update(block)
    return ManifestFile(path=path.relative_to(folder).as_posix(), bytes=path.stat().st_size, sha256=digest.hexdigest())


def write_manifest(folder: Path, paths: list[Path], kind: str, term: str | None = None, scenario: str = "") -> Path:
    """Write `folder`/manifest.json listing `paths` (files under `folder`), sorted; return its path."""
    folder = Path(folder)
    files = sorted((file_entry(folder, Path(p)) for p in paths), key=lambda f: f.path)
    manifest = Manifest(kind=kind, term=term, scenario=scenario, written_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
                        files=files)
    target = folder / MANIFEST
    write_text(target, manifest.model_dump_json(indent=2) + "\n")
    return target


def read_manifest(folder: Path, kind: str) -> Manifest | None:
    """The manifest of the previous export of this `kind` in `folder`; None where there is none (a first
    export, an export older than manifests, another command's manifest) or it cannot be read."""
    path = Path(folder) / MANIFEST
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None
    if manifest.kind != kind or any(not safe_relative(f.path) for f in manifest.files):
        return None
    return manifest


def safe_relative(path: str) -> bool:
    """A path that stays inside its folder: relative, no `..`, no empty part (a manifest is a file anyone may edit)."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and all(part not in ("", ".", "..") for part in parts) and "\\" not in path
