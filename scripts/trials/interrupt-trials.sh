#!/usr/bin/env bash
# Kill, stop and corruption trials of `calm run` (docs/evaluation.md, "Interrupted and damaged runs").
#
#   scripts/trials/interrupt-trials.sh [--kills N] [--write-kills N] [--stops N] [--corruptions N]
#                                      [--seed S] [--max-steps N] [--config FILE] [--work DIR]
#
# First an uninterrupted run of the config (the tiny key-value experiment by default, with a
# checkpoint every 20 updates) gives the reference: the SHA-256 of every file of every saved model,
# composition and adapter, and of every evaluated output. Then:
#   - each kill trial starts the run afresh, sends SIGKILL at a random moment of it, runs the same
#     command again and checks that it ends with exactly the reference's files;
#   - each write-kill trial does the same, but sends SIGKILL as soon as a write is seen in progress,
#     in turn a checkpoint's, a saved model's or composition's, and the report's (the script polls
#     for their temporary names; a write it never catches is reported as missed);
#   - each stop trial does the same with SIGTERM, and checks that the stopped run exited 143 (or 0
#     when it had finished);
#   - each corruption trial copies the finished reference, truncates, bit-flips or deletes one random
#     saved file (a model's, composition's or adapter's file, or a checkpoint's), runs the command
#     again and checks that the run names the file and ends with the reference's files.
# Prints one line per trial and exits 1 if any trial failed. Needs a build (bin/calm).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kills=20 write_kills=0 stops=20 corruptions=20 seed=1 max_steps="" config="$root/configs/kv-arithmetic-tiny.yaml"
work="${TMPDIR:-/tmp}/calm-trials"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) kills="$2"; shift 2 ;;
    --write-kills) write_kills="$2"; shift 2 ;;
    --stops) stops="$2"; shift 2 ;;
    --corruptions) corruptions="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --max-steps) max_steps="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "interrupt-trials: unknown option $1" >&2; exit 2 ;;
  esac
done
RANDOM="$seed"
export CALM_THREADS="${CALM_THREADS:-2}" # the same threads in every run: results are bitwise comparable
rm -rf "$work"
mkdir -p "$work"
# A checkpoint every 20 updates, so that a kill can land after one.
sed 's/checkpointInterval: 0/checkpointInterval: 20/g' "$config" > "$work/trial.yaml"
run_args=(run "$work/trial.yaml")
[[ -n "$max_steps" ]] && run_args+=(--max-steps "$max_steps")

calm() { "$root/bin/calm" "$@"; }

# The SHA-256 of every saved result's files (but provenance.json, which records the time and the
# output folder, and SHA256SUMS, which records provenance.json's) and every evaluated output.
fingerprint() {
  (cd "$1" && find . -mindepth 2 -maxdepth 2 -type f ! -path './train/*' ! -path './report/*' ! -path './data*' \
      ! -name '.calm.lock' ! -name provenance.json ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum
   cd "$1" && find report/outputs -type f -name '*.jsonl' -print0 | sort -z | xargs -0 sha256sum)
}

start=$(date +%s%3N)
calm "${run_args[@]}" --output "$work/reference" > "$work/reference.log" 2>&1
took_ms=$(( $(date +%s%3N) - start ))
fingerprint "$work/reference" > "$work/reference.sha256"
files=$(wc -l < "$work/reference.sha256")
printf 'reference: %s files, the run took %d.%01d s\n' "$files" $(( took_ms / 1000 )) $(( took_ms % 1000 / 100 ))

failed=0
# A random moment in (0.5 s, the reference's time), in milliseconds.
moment_ms() { echo $(( 500 + (RANDOM * 32768 + RANDOM) % (took_ms - 500) )); }

# Waits until a write of the kind is in progress in the run's folder (its temporary name exists) or
# the run ends; prints the moment in milliseconds and what was caught.
catch_write() { # $1 = folder, $2 = checkpoint|model|report, $3 = pid, $4 = start in ms
  shopt -s nullglob
  local patterns
  while kill -0 "$3" 2>/dev/null; do
    case "$2" in
      checkpoint) patterns=("$1"/train/*/checkpoints/.step-*.saving-* "$1"/train/*/*/checkpoints/.step-*.saving-*) ;;
      model) patterns=("$1"/.model-*.saving-* "$1"/.composition*.saving-* "$1"/.lora-*.saving-*) ;;
      report) patterns=("$1"/report/.*.tmp) ;;
    esac
    if [[ ${#patterns[@]} -gt 0 ]]; then
      echo "$(( $(date +%s%3N) - $4 )) ${patterns[0]#$1/}"
      return
    fi
  done
  echo "$(( $(date +%s%3N) - $4 )) missed"
}

interrupt_trial() { # $1 = KILL or TERM, $2 = trial number, $3 = the write to catch (optional)
  local signal="$1" n="$2" out="$work/$1-$2${3:+-$3}" ms code restart caught=""
  ms=$(moment_ms)
  local started; started=$(date +%s%3N)
  "$root/bin/calm" "${run_args[@]}" --output "$out" > "$out.first.log" 2>&1 & # bin/calm execs java: $! is its pid
  local pid=$!
  if [[ -n "${3:-}" ]]; then
    read -r ms caught < <(catch_write "$out" "$3" "$pid" "$started")
  else
    sleep "$(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))"
  fi
  kill -s "$signal" "$pid" 2>/dev/null || true
  code=0; wait "$pid" 2>/dev/null || code=$?
  restart=0; calm "${run_args[@]}" --output "$out" > "$out.restart.log" 2>&1 || restart=$?
  local expected=$([[ "$signal" == KILL ]] && echo 137 || echo 143)
  local verdict="identical"
  if [[ "$restart" != 0 ]]; then
    verdict="FAILED: the restart exited $restart (see $out.restart.log)"
  elif ! diff <(fingerprint "$out") "$work/reference.sha256" > /dev/null; then
    verdict="FAILED: $(diff <(fingerprint "$out") "$work/reference.sha256" | grep -c '^<' || true) files differ from the reference"
  elif [[ "$code" != "$expected" && "$code" != 0 ]]; then
    verdict="FAILED: the interrupted run exited $code, not $expected"
  fi
  [[ "$verdict" == identical ]] || failed=1
  local stage; stage=$(grep -oE '^[0-9:]+ INFO  [a-z-]+( \(prefix stage\))?:|evaluate:' "$out.first.log" | tail -1 \
      | sed -E 's/^[0-9:]+ INFO  //; s/:$//' || true)
  [[ -n "$caught" ]] && stage="$stage, writing $caught"
  printf 'SIG%s %2d at %6.2f s (during %s): exit %s; restart exit %s; %s files %s\n' "$signal" "$n" \
      "$(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))" "${stage:-start-up}" "$code" "$restart" "$files" "$verdict"
}

for ((i = 1; i <= kills; i++)); do interrupt_trial KILL "$i"; done
kinds=(checkpoint model report)
for ((i = 1; i <= write_kills; i++)); do interrupt_trial KILL "$i" "${kinds[$(( (i - 1) % 3 ))]}"; done
for ((i = 1; i <= stops; i++)); do interrupt_trial TERM "$i"; done

for ((i = 1; i <= corruptions; i++)); do
  out="$work/corrupt-$i"
  cp -a "$work/reference" "$out"
  mapfile -d '' candidates < <(cd "$out" && find . -mindepth 2 -type f ! -path './report/*' ! -path './data*' \
      ! -name '.calm.lock' ! -name 'metrics.jsonl' ! -name '*.log' -print0 | sort -z)
  victim="${candidates[$(( RANDOM % ${#candidates[@]} ))]#./}"
  size=$(stat -c %s "$out/$victim")
  case $(( RANDOM % 3 )) in
    0) how="truncated to $(( size / 2 )) of $size bytes"; truncate -s $(( size / 2 )) "$out/$victim" ;;
    1) at=$(( (RANDOM * 32768 + RANDOM) % (size > 0 ? size : 1) ))
       how="byte $at flipped"
       byte=$(od -An -tu1 -j "$at" -N1 "$out/$victim" | tr -d ' ')
       printf "$(printf '\\%03o' $(( ${byte:-0} ^ 16 )))" | dd of="$out/$victim" bs=1 seek="$at" conv=notrunc 2>/dev/null ;;
    2) how="deleted"; rm "$out/$victim" ;;
  esac
  code=0; calm "${run_args[@]}" --output "$out" > "$out.log" 2>&1 || code=$?
  verdict="identical"
  if [[ "$code" != 0 ]]; then
    verdict="refused (exit $code): $(grep '^calm:' "$out.log" | head -1)"
    grep -q "$victim" "$out.log" || { verdict="FAILED: exit $code without naming $victim"; failed=1; }
  elif ! diff <(fingerprint "$out") "$work/reference.sha256" > /dev/null; then
    verdict="FAILED: $(diff <(fingerprint "$out") "$work/reference.sha256" | grep -c '^<' || true) files differ"; failed=1
  else
    named=$(grep -E 'starts from zero|resumes from' "$out.log" | grep -F -e "$victim" -e damaged | head -1 | cut -c1-200 || true)
    verdict="identical; ${named:-nothing retrained (the file is not read again)}"
  fi
  printf 'corruption %2d: %s %s: %s\n' "$i" "$victim" "$how" "$verdict"
done
exit "$failed"
