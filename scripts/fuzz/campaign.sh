#!/usr/bin/env bash
# The fuzzing campaign (docs/fuzzing.md): every reader's fuzz target, one after another, each for
# Fuzzing.CAMPAIGN_INPUTS inputs (20,000) or 10 minutes. A finding (an input that neither loads nor
# ends with an error naming its file) is saved by Jazzer under the module's
# src/test/resources/.../<Class>Inputs/<target>/ and replays in every build from then on; the
# inputs the fuzzer generated stay in <module>/.cifuzz-corpus/ (not committed).
#
#   scripts/fuzz/campaign.sh [TARGET ...]     e.g. ReadersFuzzTest#safetensorsFile; default: all
# Needs a build (mvn -B -q install -DskipTests). Prints, per target, the inputs run and the findings.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(calm-model:ReadersFuzzTest#safetensorsFile calm-model:ReadersFuzzTest#shardedCheckpoint
           calm-model:ReadersFuzzTest#hfConfigJson calm-model:ReadersFuzzTest#tokenizerJson
           calm-train:TrainReadersFuzzTest#experimentConfig calm-train:TrainReadersFuzzTest#compositionJson
           calm-train:TrainReadersFuzzTest#datasetLines
           calm-eval:EvalReadersFuzzTest#resultsJson calm-eval:EvalReadersFuzzTest#provenanceJson)
fi
status=0
for target in "${targets[@]}"; do
  module="${target%%:*}" test="${target#*:}"
  log="$root/$module/target/fuzz-${test//#/-}.log"
  start=$(date +%s)
  (cd "$root/$module" && JAZZER_FUZZ=1 mvn -B -o surefire:test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1
  code=$?
  runs=$(grep -oE 'Done [0-9]+ runs|#[0-9]+\s+DONE' "$log" | grep -oE '[0-9]+' | tail -1)
  findings=$(grep -c 'Java Exception\|== Java Assertion\|FuzzerSecurityIssue\|crash-' "$log")
  printf '%-55s %8s inputs in %4d s, exit %d, %s finding lines (log: %s)\n' "$target" "${runs:-?}" \
      $(( $(date +%s) - start )) "$code" "$findings" "${log#$root/}"
  [[ "$code" == 0 ]] || status=1
done
exit "$status"
