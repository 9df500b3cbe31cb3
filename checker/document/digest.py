"""What a page's bytes were, in a few bytes: the result cache keys a page by it, and the writer
replaces a page only while it still holds the bytes of the digest it was fixed from. A fixed
page is keyed in the cache by the digest made of it where it was fixed, so both use this one."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
