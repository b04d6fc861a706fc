#!/bin/bash
# Runs each config line of $1 as its own process, all at once.
i=0
while IFS= read -r cfg; do
  [ -z "$cfg" ] && continue
  PYTHONUNBUFFERED=1 timeout ${LIMIT:-540} python3 kvproto.py "[$cfg]" > "$OUT/run_$i.jsonl" 2> "$OUT/run_$i.err" &
  i=$((i+1))
done < "$1"
wait
cat $OUT/run_*.jsonl
for f in $OUT/run_*.err; do tail -2 "$f"; done
