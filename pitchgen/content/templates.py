"""The Jinja2 environments over `prompts/`: plain text (fallback drafts, LLM prompts, text and
Markdown renderings) and HTML (the review page). StrictUndefined everywhere, so a template
that names a missing field fails loudly instead of printing nothing."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from jinja2.bccache import bc_magic

__all__ = ["prompts_dir", "template_hash", "text_env"]


@cache
def prompts_dir() -> Path:
    """`prompts/` beside the package in a checkout, or `pitchgen/_prompts` in a wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_prompts", package.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("pitchgen's prompts/ folder is missing from this installation")


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (compiling ours costs more than the rest of a CLI
    draft); a cache that cannot be read or written is only slower, never an error."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # What Jinja writes (`Bucket.write_bytecode`: its header, the template's checksum, the
        # code) read from bytes in one go: marshal reading a file object asks it for each
        # piece, ten times slower (0.25 ms of each of the 7 templates a draft loads).
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                data = file.read()
        except OSError:
            return
        head = bc_magic + pickle.dumps(bucket.checksum, 2)
        if not data.startswith(head):
            return  # another Jinja's, or the template changed since
        try:
            # Jinja's private folder (only this user's; it checks): as trusted as Jinja's read.
            bucket.code = marshal.loads(data[len(head) :])  # noqa: S302
        except (EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _QuietBytecodeCache()  # a private folder under the system's temp directory
    except OSError:
        return None


@cache
def text_env() -> jinja2.Environment:
    # Plain-text output only: autoescape would turn a partner's "&" into "&amp;" in an email.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - plain text, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def template_hash(*names: str) -> str:
    """A short hash over the named templates' source: changes whenever any of them changes."""
    ordered = tuple(sorted(names))
    folder = str(prompts_dir())
    # Every draft asks for this: re-read and re-hash a template only once it has changed on
    # disk (the same test Jinja's auto-reload makes), so an edited prompt still shows.
    stamps = tuple(
        (stat.st_mtime_ns, stat.st_size)
        for stat in (os.stat(os.path.join(folder, name)) for name in ordered)
    )
    return _hash(ordered, stamps)


@lru_cache(maxsize=64)
def _hash(names: tuple[str, ...], stamps: tuple[tuple[int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update((prompts_dir() / name).read_bytes())
    return digest.hexdigest()[:12]
