"""The rules' knowledge as data: model families, metrics, hardware, review questions and references, from
``lint/data/*.toml``.

The TOML files are the source people edit (with comments and sources). Beside each, a generated JSON file
holds the same data with the SHA-256 of the TOML it came from: JSON loads in a twentieth of TOML's time,
and a compiling run reads every catalogue. A JSON file whose hash is not its TOML's (the TOML was edited
and not regenerated) is ignored and the TOML is read, so the data is never stale. Regenerate with
``python -m dsspec.compiler.lint.catalogue`` (a test checks they agree).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

try:  # CPython's own SHA-256 (3.11's module name, then 3.12's): a compiling run need not load OpenSSL to check a
    from _sha256 import sha256  # few small files, and the digest is the same
except ImportError:
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

DATA = Path(__file__).parent / "data"


def load(path: Path) -> dict:
    """Return the parsed TOML file ``path``, from its generated JSON when that was made from these bytes."""
    raw = path.read_bytes()
    digest = sha256(raw).hexdigest()
    try:
        made = json.loads(path.with_suffix(".json").read_bytes())
        if made.get("source_sha256") == digest:
            return made["data"]
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    import tomllib

    return tomllib.loads(raw.decode("utf-8"))


def generated(path: Path) -> str:
    """Return the JSON file made from the TOML file ``path`` (deterministic: sorted keys, one key per line for readable diffs)."""
    import tomllib

    raw = path.read_bytes()
    doc = {"source": path.name, "source_sha256": sha256(raw).hexdigest(),
           "data": tomllib.loads(raw.decode("utf-8"))}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


@functools.cache
def catalogue(name: str) -> dict:
    """Return the bundled catalogue ``name`` (``families``, ``metrics``, ``hardware``, ``questions``,
    ``references``); callers must not mutate it."""
    return load(DATA / f"{name}.toml")


def main() -> int:
    """Regenerate every catalogue's JSON file."""
    for toml in sorted(DATA.glob("*.toml")):
        toml.with_suffix(".json").write_text(generated(toml), encoding="utf-8")
        print(f"wrote {toml.with_suffix('.json').name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
