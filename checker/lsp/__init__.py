"""The language server behind `checker server` (imported only when it runs)."""
