#!/usr/bin/env bash
# Renders a report.html to a full-page PNG screenshot with headless Chromium, to look at a report
# as a reader would, or to attach it to a review.
#
# Usage: scripts/render-report.sh REPORT_HTML OUT_PNG [WIDTH]
#   WIDTH is the window width in CSS pixels (default 1280); the height is the page's own, so the
#   screenshot holds the whole page.
# Needs Chromium (Debian: apt-get install -y chromium); installs nothing itself.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 REPORT_HTML OUT_PNG [WIDTH]" >&2
  exit 2
fi
html=$1
out=$2
width=${3:-1280}
chromium=${CHROMIUM:-/usr/bin/chromium}

if [[ ! -x $chromium ]]; then
  echo "error: $chromium not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
if [[ ! -f $html ]]; then
  echo "error: no such file: $html" >&2
  exit 1
fi
if ! [[ $width =~ ^[0-9]+$ ]]; then
  echo "error: WIDTH must be a number of pixels, got '$width'" >&2
  exit 2
fi

page="file://$(realpath "$html")"
out=$(realpath -m "$out")
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

chromium_headless() {
  # --no-sandbox: the sandbox cannot start as root or inside most containers.
  # Chromium's complaints about D-Bus and GPU on a headless machine are noise; stderr is kept in
  # $work/chromium.log and shown only if a step fails.
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --no-default-browser-check --user-data-dir="$work/profile" --force-device-scale-factor=1 \
    "$@" 2>>"$work/chromium.log"
}

# Headless Chromium screenshots only the window, so measure the page first: load it at the same
# width in a frame of a small measuring page and read its height back from the dumped DOM.
cat >"$work/measure.html" <<HTML
<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="$page" style="width:${width}px;height:100px;border:0"></iframe>
<script>
document.getElementById('page').addEventListener('load', function () {
  document.body.setAttribute('data-page-height',
      this.contentDocument.documentElement.scrollHeight);
});
</script></body></html>
HTML
height=$(chromium_headless --allow-file-access-from-files --window-size="$width,800" \
  --virtual-time-budget=10000 --dump-dom "file://$work/measure.html" \
  | sed -n 's/.*data-page-height="\([0-9]*\)".*/\1/p' | head -n 1) || true
if [[ -z $height ]]; then
  echo "error: could not measure the page height; Chromium said:" >&2
  tail -n 20 "$work/chromium.log" >&2
  exit 1
fi

if ! chromium_headless --window-size="$width,$height" --virtual-time-budget=10000 \
    --screenshot="$out" "$page" >/dev/null || [[ ! -s $out ]]; then
  echo "error: Chromium wrote no screenshot; it said:" >&2
  tail -n 20 "$work/chromium.log" >&2
  exit 1
fi
echo "wrote $out (${width}x${height})"
