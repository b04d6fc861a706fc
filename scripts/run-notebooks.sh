#!/usr/bin/env bash
# Runs the JShell notebooks non-interactively (bin/calm-notebook --batch) and fails when any fails;
# the build runs it in calm-eval's integration-test phase (`mvn -B install`; -DskipTests skips it).
# See docs/notebooks.md.
#
# Usage: scripts/run-notebooks.sh [NOTEBOOK...]     (default: every notebooks/*.jsh)
#
# First it checks the checker: every notebooks/checks/fails-*.jsh must fail and every
# notebooks/checks/passes-*.jsh must pass, or no notebook's success would mean anything.
# CALM_NOTEBOOK_TIMEOUT: seconds one notebook may take (default 600).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
limit=${CALM_NOTEBOOK_TIMEOUT:-600}

# Runs one notebook in batch mode with a time limit; prints its output, returns its exit code.
run() {
  local status=0
  timeout --kill-after=30 "$limit" "$root/bin/calm-notebook" --batch "$1" </dev/null || status=$?
  if ((status == 124 || status == 137)); then
    echo "run-notebooks: $1 took longer than $limit s (CALM_NOTEBOOK_TIMEOUT)" >&2
  fi
  return "$status"
}

problems=()
echo "run-notebooks: checking that batch mode catches failures (notebooks/checks)"
for check in "$root"/notebooks/checks/*.jsh; do
  name=${check#"$root"/}
  output=$(run "$check" 2>&1) && status=0 || status=$?
  case ${check##*/} in
    fails-*) ((status == 1)) && verdict=ok || verdict="should fail with exit code 1, got $status" ;;
    passes-*) ((status == 0)) && verdict=ok || verdict="should pass, got exit code $status" ;;
    *) verdict="a check's name starts with fails- or passes-" ;;
  esac
  echo "  $name: $verdict"
  if [[ $verdict != ok ]]; then
    printf '%s\n' "$output" | sed 's/^/    | /'
    problems+=("$name: $verdict")
  fi
done

notebooks=("$@")
if ((${#notebooks[@]} == 0)); then
  notebooks=("$root"/notebooks/*.jsh)
fi
for notebook in "${notebooks[@]}"; do
  name=${notebook#"$root"/}
  echo "run-notebooks: $name"
  started=$SECONDS
  if run "$notebook"; then
    echo "run-notebooks: $name passed in $((SECONDS - started)) s"
  else
    problems+=("$name failed")
  fi
done

if ((${#problems[@]} > 0)); then
  echo "run-notebooks: FAILED:" >&2
  printf '  %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "run-notebooks: all ${#notebooks[@]} notebooks passed"
