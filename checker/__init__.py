"""checker: lint and validate Markdown content pages with YAML front matter."""

__version__ = "0.1.0"

# The distribution is `medpage-checker` (`pip install medpage-checker`); the command and the
# import package are `checker`.
DISTRIBUTION = "medpage-checker"
REPOSITORY_URL = "https://github.com/medpage-checker/medpage-checker"
# Each rule's documentation: the rendered docs/rules.md, plus `#<code>-<name>` (`docs-url`).
DEFAULT_DOCS_URL = f"{REPOSITORY_URL}/blob/main/docs/rules.md"
