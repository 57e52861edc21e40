"""The build manifest: which files in an output folder ``dsspec build`` wrote, so it removes only those.

``.dsspec-build.json`` in the output folder lists every file a build wrote,
with the spec stem it came from, its format and the SHA-256 of its bytes. A
later build of the same spec removes a listed file it no longer makes, and
only while the file still holds the bytes dsspec wrote: a file the user made
(``churn.notes.md``), another spec's (``churn.v2.md``) or one edited since is
never touched. The manifest is deterministic (sorted, no timestamps) and
written atomically after the files it lists.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

NAME = ".dsspec-build.json"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024


def digest(data: bytes) -> str:
    """Return the SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """``entries`` maps a file name in the folder to ``{"spec": stem, "format": fmt, "sha256": hex}``."""

    entries: dict[str, dict] = field(default_factory=dict)
    problem: str | None = None  # why an existing manifest was not usable (nothing is removed then)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """Return the manifest of ``folder`` (empty when there is none or it is not usable)."""
        path = folder / NAME
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
        except FileNotFoundError:
            return cls()
        except OSError as err:
            return cls(problem=f"cannot be read: {err.strerror or err}")
        if len(raw) > MAX_BYTES:
            return cls(problem=f"is over {MAX_BYTES:,} bytes, more than any build writes")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return cls(problem="is not valid JSON")
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict) or not all(
                isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("spec", "format", "sha256"))
                for e in files.values()):
            return cls(problem="is not a dsspec build manifest")
        return cls({name: dict(e) for name, e in files.items() if _plain(name)})

    def stale(self, folder: Path, planned: dict[str, bytes], stems: set[str], formats: set[str]) -> list[Path]:
        """Return the listed files of ``stems`` in ``formats`` this build does not make and that still
        hold what dsspec wrote; those edited since are dropped from the manifest and kept."""
        from dsspec.compiler.emit.artefacts import suffix_of

        out = []
        for name, entry in sorted(self.entries.items()):
            if name in planned or entry["spec"] not in stems or entry["format"] not in formats or \
                    not (name.startswith(entry["spec"] + ".") and name.endswith("." + suffix_of(entry["format"]))):
                continue  # not of a spec being built, or a name dsspec would never have written
            path = folder / name
            try:
                if path.is_file() and not path.is_symlink() and digest(path.read_bytes()) == entry["sha256"]:
                    out.append(path)
                    continue
            except OSError:
                pass
            del self.entries[name]  # gone, or changed by someone else: no longer dsspec's
        return out

    def record(self, planned: dict[str, tuple[str, str, bytes]], removed: list[Path]) -> None:
        """Add the files written (``name: (stem, format, bytes)``) and forget the files removed."""
        for path in removed:
            self.entries.pop(path.name, None)
        for name, (stem, fmt, data) in planned.items():
            self.entries[name] = {"spec": stem, "format": fmt, "sha256": digest(data)}

    def text(self) -> str:
        """Return the manifest's JSON text."""
        body = {"generated_by": "dsspec build", "version": VERSION,
                "files": {k: self.entries[k] for k in sorted(self.entries)}}
        return json.dumps(body, indent=1, sort_keys=True) + "\n"


def _plain(name: str) -> bool:
    """Return whether ``name`` is a plain file name (a manifest can name nothing outside its folder)."""
    return bool(name) and name not in (".", "..", NAME) and "/" not in name and "\\" not in name and "\0" not in name
