"""checker: lint and validate Markdown content pages with YAML front matter."""

__version__ = "0.1.0"
