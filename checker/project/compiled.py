"""Validated settings kept as plain data, so that a run validates nothing it validated before.

Validating the config and the rules' options with pydantic builds every model's validator,
which costs more than checking a page. After one successful validation the result is written as JSON,
keyed by a hash of the files it came from and of the code that defines the models; later runs
rebuild the same objects from that data without validating. A file that changes, a new checker,
or an entry that cannot be read gives a new key or a miss, and the files are validated again.
Invalid files are never stored, so their errors always come from validation.

The entries live in the user's cache folder: `$CHECKER_CACHE_HOME`, else
`$XDG_CACHE_HOME/checker`, else `~/.cache/checker`; `CHECKER_CACHE_HOME=""` turns them off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import pydantic
from pydantic import BaseModel

from checker import __version__

# Bump when the stored layout changes.
FORMAT = 1
FOLDER = "compiled"

M = TypeVar("M", bound=BaseModel)


def cache_folder() -> Path | None:
    """Where compiled settings are kept, or None when that is turned off."""
    explicit = os.environ.get("CHECKER_CACHE_HOME")
    if explicit is not None:
        return Path(explicit) / FOLDER if explicit else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "checker" / FOLDER


def digest(*parts: bytes) -> str:
    """A key over byte strings (each one length-prefixed, so that no two splits collide)."""
    hasher = hashlib.sha256(f"checker-compiled-{FORMAT}\0".encode())
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The checker's version, those of the libraries that validate and store settings and
    results, and the name, size and mtime of each of its source files: every key of validated
    settings or cached results holds it, since any of that code may change what they hold.

    A development checkout keeps one version number while its code changes; this makes an
    edited module invalidate the keys all the same.
    """
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(f"{__version__}\npydantic={pydantic.VERSION}\n".encode())
    hasher.update(f"msgspec={msgspec.__version__}\n".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        status = path.stat()
        hasher.update(
            f"{path.relative_to(package)}:{status.st_size}:{status.st_mtime_ns}\n".encode()
        )
    return hasher.hexdigest()


def load(kind: str, key: str) -> Any | None:
    """The stored data for `key`, or None when there is none or it cannot be trusted.

    An entry is a header line (its key and the SHA-256 of the data line) and a data line; one
    written for another key, cut short or changed in any byte does not match its header.
    """
    folder = cache_folder()
    if folder is None:
        return None
    try:
        header, _, body = (folder / f"{kind}-{key}.json").read_bytes().partition(b"\n")
        meta = json.loads(header)
        if not isinstance(meta, dict) or meta.get("key") != key:
            return None
        if meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        return json.loads(body)
    except (OSError, ValueError):
        return None


def store(kind: str, key: str, data: Any) -> None:
    """Keep `data` for `key`; failing to write (read-only home, full disk) changes nothing."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        body = json.dumps(data, allow_nan=False).encode()
    except (TypeError, ValueError):
        return  # a value JSON cannot hold exactly (a YAML date, say): validate every time
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
        try:
            header = json.dumps({"key": key, "sha256": hashlib.sha256(body).hexdigest()})
            with os.fdopen(handle, "wb") as out:
                out.write(header.encode() + b"\n" + body)
            Path(name).replace(folder / f"{kind}-{key}.json")
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except OSError:
        return


def to_plain(model: BaseModel) -> dict[str, Any]:
    """A model's field values as JSON-ready data, by field name."""
    return model.model_dump(mode="python", by_alias=False, round_trip=True)


def from_plain(cls: type[M], data: Any) -> M:
    """Rebuild a model stored by `to_plain` without validating it.

    Raises ValueError when the data does not have the model's shape.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__}: expected an object")
    values = {}
    for name, info in cls.model_fields.items():
        if name not in data:
            raise ValueError(f"{cls.__name__}.{name}: missing")
        values[name] = _value(info.annotation, data[name])
    if set(data) - set(values):
        raise ValueError(f"{cls.__name__}: unexpected keys")
    return cls.model_construct(**values)


def _value(annotation: Any, value: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return from_plain(annotation, value)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        models = [arg for arg in args if isinstance(arg, type) and issubclass(arg, BaseModel)]
        return from_plain(models[0], value) if models else value
    if origin is list and args:
        if not isinstance(value, list):
            raise ValueError("expected a list")
        return [_value(args[0], item) for item in value]
    if origin is dict and len(args) == 2:
        if not isinstance(value, dict):
            raise ValueError("expected an object")
        return {key: _value(args[1], item) for key, item in value.items()}
    return value


def round_trips(cls: type[M], model: M) -> Any | None:
    """The plain data of `model` if rebuilding it from JSON gives an equal model, else None."""
    data = to_plain(model)
    try:
        rebuilt = from_plain(cls, json.loads(json.dumps(data, allow_nan=False)))
    except (TypeError, ValueError):
        return None
    return data if rebuilt == model else None
