#!/bin/sh
# lambda-tune in any CI system: sweep, compare with the baseline, render the
# reports, move the baseline on success. POSIX sh; needs Node.js 20 and AWS
# credentials in the environment (the SDK's default chain: role, profile, keys).
#
#   FUNCTION=my-function sh examples/ci-recipe.sh
#
# Settings (environment):
#   FUNCTION        function name or ARN (required)
#   BASELINE        the baseline result, kept between runs (default baseline/result.json)
#   THRESHOLD       --fail-on-regression (default 10%)
#   OUT_DIR         where result.json, report.md and report.html go (default lambda-tune-out)
#   LAMBDA_TUNE     how to start lambda-tune (default: npx lambda-tune)
#   LAMBDA_TUNE_ARGS  more `run` flags, e.g. "--memory 128-3008:64 --budget 40"
#
# Exit codes: 0 done (baseline updated), 3 regression (baseline kept),
# anything else: lambda-tune failed (1) or was misused (2).
set -eu

: "${FUNCTION:?set FUNCTION to the name or ARN of the function to tune}"
BASELINE=${BASELINE:-baseline/result.json}
THRESHOLD=${THRESHOLD:-10%}
OUT_DIR=${OUT_DIR:-lambda-tune-out}
LAMBDA_TUNE=${LAMBDA_TUNE:-npx lambda-tune}
LAMBDA_TUNE_ARGS=${LAMBDA_TUNE_ARGS:-}

mkdir -p "$OUT_DIR"
result="$OUT_DIR/result.json"

set -- run "$FUNCTION" --target aws --json --out "$result"
if [ -f "$BASELINE" ]; then
  set -- "$@" --baseline "$BASELINE" --fail-on-regression "$THRESHOLD"
else
  echo "ci-recipe: no baseline at $BASELINE; this run's result becomes the first" >&2
fi

# $LAMBDA_TUNE and $LAMBDA_TUNE_ARGS are split into words on purpose ("npx lambda-tune").
status=0
# shellcheck disable=SC2086
$LAMBDA_TUNE "$@" $LAMBDA_TUNE_ARGS > /dev/null || status=$?
case $status in
  0 | 3) ;;
  *)
    echo "ci-recipe: lambda-tune run failed with exit code $status" >&2
    exit "$status"
    ;;
esac

# A regression still gets its reports: they show what changed.
$LAMBDA_TUNE report "$result" --output markdown --out "$OUT_DIR/report.md"
if [ -f "$BASELINE" ]; then
  # What changed since the baseline, with the gate's verdict (its exit code is already known).
  $LAMBDA_TUNE compare "$BASELINE" "$result" --output markdown \
    --fail-on-regression "$THRESHOLD" >> "$OUT_DIR/report.md" || true
fi
$LAMBDA_TUNE report "$result" --output html --out "$OUT_DIR/report.html"
echo "ci-recipe: reports in $OUT_DIR/report.md and $OUT_DIR/report.html" >&2

if [ "$status" -eq 3 ]; then
  echo "ci-recipe: regression beyond $THRESHOLD against $BASELINE; the baseline is kept" >&2
  exit 3
fi

# Only a good run moves the baseline; store $BASELINE where the next run finds it
# (a cache or artifact of your CI, a bucket, or commit it to the repository).
mkdir -p "$(dirname "$BASELINE")"
cp "$result" "$BASELINE"
echo "ci-recipe: $BASELINE updated" >&2
