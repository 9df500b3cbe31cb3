"""The parsed document: a page read once, with its front matter, Markdown tree, outline and suppressions."""
