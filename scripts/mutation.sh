#!/usr/bin/env bash
# Mutation testing with mutmut over one area of the checker, in a scratch copy of the project
# (mutmut writes its mutants/ folder there, never in the repository). See docs/testing.md.
#
#   scripts/mutation.sh AREA [WORKDIR]
#
# AREA: sections, suppressions, fixer, or rules/FAMILY (formatting, disclaimer, frontmatter,
# structure, content, dosing, inputs, site). The property tests run with fewer examples per mutant
# (CHECKER_PROPERTY_EXAMPLES, default 10 here); JOBS sets mutmut's workers (default 2).
#
# Needs mutmut in the active environment: pip install -e '.[mutation]'. Prints mutmut's
# summary and every surviving mutant; `cd WORKDIR && mutmut show NAME` shows one.
set -euo pipefail
cd "$(dirname "$0")/.."

area="${1:?usage: scripts/mutation.sh sections|suppressions|fixer|rules/FAMILY [WORKDIR]}"
export CHECKER_PROPERTY_EXAMPLES="${CHECKER_PROPERTY_EXAMPLES:-10}"
work="${2:-$(mktemp -d "${TMPDIR:-/tmp}/checker-mutation-$area.XXXXXX")}"

case "$area" in
  sections)
    mutate='"checker/document/sections.py"'
    tests='"tests/test_sections.py", "tests/test_rules.py::test_fixture_page", "tests/test_evaluation_rules.py", "tests/test_template_language.py", "tests/test_rule_options.py", "tests/test_rule_messages.py", "tests/test_cli.py"'
    ;;
  suppressions)
    mutate='"checker/document/suppressions.py", "checker/lint/reporting.py", "checker/rules/suppression.py"'
    tests='"tests/test_suppressions.py", "tests/test_suppression_reasons.py", "tests/test_suppression_parsing.py", "tests/test_reporting.py", "tests/test_site_rules.py", "tests/test_rules.py::test_fixture_page", "tests/test_internal_error.py", "tests/test_baseline.py", "tests/test_rule_messages.py", "tests/test_cli.py"'
    ;;
  fixer)
    mutate='"checker/fixing/fixer.py"'
    tests='"tests/test_fixer.py", "tests/test_fix_rules.py", "tests/test_fix_properties.py", "tests/test_fix_cli.py", "tests/test_fix_probe.py"'
    ;;
  rules/*)
    # One rule family: checker/rules/FAMILY.py against the fixture pages of its codes.
    family="${area#rules/}"
    case "$family" in
      formatting | disclaimer | frontmatter | structure | content | dosing | inputs | site) ;;
      *) echo "unknown rule family: $family" >&2; exit 2 ;;
    esac
    mutate="\"checker/rules/$family.py\""
    # mutmut runs, for each mutant, only the tests that reach the mutated function.
    # Every tests/test_*_rules.py, and the tests of template options and rule options, whose
    # CLI runs are in the test process (tests/in_process.py), so mutmut sees what they reach.
    tests='"tests/test_rules.py::test_fixture_page", "tests/test_rules.py::test_generated_page", "tests/test_rules.py::test_rule_is_quiet_on_a_clean_page", "tests/test_template_language.py", "tests/test_rule_options.py", "tests/test_rule_messages.py"'
    for file in tests/test_*_rules.py; do tests="$tests, \"$file\""; done
    ;;
  *)
    echo "unknown area: $area" >&2
    exit 2
    ;;
esac

# The tracked files only: no caches, no virtual environment.
mkdir -p "$work"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work"
# mutmut's trampolines slow every call into the mutated module: on a busy machine a fixture page
# could then pass the default page time limit (limits.max-page-seconds, 1.5 s) and come out as
# IO001, which fails mutmut's clean run. The scratch copy's default is a minute instead.
sed -i 's/max_page_seconds: float = 1.5$/max_page_seconds: float = 60.0/' "$work/checker/document/page.py"
grep -q 'max_page_seconds: float = 60.0$' "$work/checker/document/page.py"
cat >>"$work/pyproject.toml" <<TOML

[tool.mutmut]
source_paths = ["checker"]
only_mutate = [$mutate]
also_copy = ["rules", "docs", "content"]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-n", "0"]
pytest_add_cli_args_test_selection = [$tests]
TOML

cd "$work"
echo "mutating $area in $work" >&2
mutmut run --max-children "${JOBS:-2}" >"$work/run.log" 2>&1 || true
mutmut results --all true >"$work/results.txt" 2>&1 || true
python - "$work/results.txt" <<'PY'
import collections, sys
counts = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    name, _, status = line.strip().rpartition(": ")
    if name:
        counts[status] += 1
killed = counts["killed"] + counts["timeout"]
total = sum(counts.values())
print(dict(counts))
print(f"score: {killed}/{total} killed = {killed / max(total, 1):.0%}")
PY
grep -E ": (survived|no tests)$" "$work/results.txt" || true
