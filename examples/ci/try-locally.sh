#!/usr/bin/env bash
# Run the three CI flows of examples/ci on this machine, against the built-in Webex emulator:
#   1. pull request  → plan, which validates first (Markdown comment + plan.json)  [plan.yml]
#   2. merge to main → apply the reviewed plan.json, then a fresh plan is empty     [apply.yml]
#      and what apply.yml refuses: a plan made against another Webex (refused whole),
#      a meeting edited in Webex after the review (stale); then the manual run that
#      recovers: plan afresh from main and apply that plan at once (no review)       [apply.yml]
#   3. nightly       → drift is clean; someone edits a meeting in "Webex"; drift
#                      reports it with exit 2 (CI would open the meetctl-drift issue) [drift.yml]
# No Webex org, no GitHub, no network beyond 127.0.0.1. Exits 0 when every flow behaved as in CI.
#
#   examples/ci/try-locally.sh                 # the example meetings
#   MEETINGS_DIR=path/to/meetings examples/ci/try-locally.sh
#   MEETINGS_DIR=meetings SNAPSHOT=prod.json examples/ci/try-locally.sh   # a rehearsal (or the snapshot as $1)
# With a snapshot (meetctl import --snapshot prod.json --dir meetings, against the real Webex) the
# emulator starts as a copy of production, clock included, and the flows rehearse the real change.
# Every variable the files or the snapshot reference that is not set gets a placeholder value:
# the emulator and the plan read the same one, so only a secret that really differs shows a change.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# This package's own bin when run from a checkout, else the meetctl installed in the current project.
if [ -f "$root/bin/meetctl.js" ] && [ -d "$root/dist" ]; then
  bin="$root/bin/meetctl.js"
else
  bin=$(node -p 'require.resolve("meetctl/bin/meetctl.js")' 2>/dev/null) || { echo "try-locally: meetctl is not installed here (npm i -D meetctl)" >&2; exit 1; }
fi
meetctl() { node "$bin" "$@"; }
meetings=${MEETINGS_DIR:-$root/examples/meetings}
snapshot=${SNAPSHOT:-${1:-}}
[ -z "$snapshot" ] || [ -f "$snapshot" ] || { echo "try-locally: snapshot $snapshot not found" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/meetctl-try.XXXXXX")
emulator_pid=""

cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf 'try-locally: FAILED: %s\n' "$*" >&2; exit 1; }
# Run meetctl, capture its exit code without tripping `set -e`.
run() { set +e; meetctl "$@"; code=$?; set -e; }

# The example series reads its password from the environment, as CI reads it from a secret.
export SALES_SYNC_PASSWORD=${SALES_SYNC_PASSWORD:-Try-Locally-Passw0rd}
# Before the emulator starts: it reads a snapshot's references too.
refs=$( { find "$meetings" -type f \( -name '*.yaml' -o -name '*.yml' \) -exec cat {} + ; [ -z "$snapshot" ] || cat "$snapshot"; } 2>/dev/null |
  grep -o '\${env:[A-Za-z_][A-Za-z0-9_]*}' | sed 's/^\${env:\(.*\)}$/\1/' | sort -u || true)
for name in $refs; do
  if [ -z "${!name:-}" ]; then export "$name=try-locally-placeholder"; echo "$name is not set: using a placeholder value"; fi
done

step "Starting the Webex emulator"
seed_args=()
[ -z "$snapshot" ] || seed_args=(--seed "$snapshot")
# Started directly (not through the meetctl function) so that $! is the emulator itself.
node "$bin" emulator --port 0 ${seed_args[@]+"${seed_args[@]}"} >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 100); do
  grep -q '^token: ' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; fail "the emulator did not start"; }
  sleep 0.1
done
grep -q '^token: ' "$work/emulator.out" || fail "the emulator printed no token"
WEBEX_BASE_URL=$(head -n 1 "$work/emulator.out")
WEBEX_ACCESS_TOKEN=$(sed -n 's/^token: //p' "$work/emulator.out")
export WEBEX_BASE_URL WEBEX_ACCESS_TOKEN
echo "emulator at $WEBEX_BASE_URL (token not shown)"
[ -z "$snapshot" ] || echo "emulator seeded with the snapshot $snapshot: a rehearsal against a copy of production"

step "1. Pull request: plan (plan.yml; it validates the files first)"
run plan --dir "$meetings" --format markdown --out "$work/plan.json" --detailed-exitcode >"$work/plan.md"
if [ -n "$snapshot" ]; then
  # A copy of production may already match the files.
  [ "$code" -eq 2 ] || [ "$code" -eq 0 ] || { cat "$work/plan.md"; fail "plan against the snapshot exited $code"; }
else
  # Without a snapshot the emulator serves its built-in meetings: a tree of your own ids is not there (use SNAPSHOT).
  [ "$code" -eq 2 ] || { cat "$work/plan.md"; fail "plan exited $code; expected 2 (changes), because the emulator starts with the built-in meetings as they were before meetctl (for your own tree, take a snapshot: SNAPSHOT=prod.json)"; }
fi
[ -s "$work/plan.json" ] || fail "plan --out wrote no plan.json"
if [ "$code" -eq 2 ]; then echo "plan: exit 2 (changes). The PR comment would be:"; else echo "plan: exit 0 (no changes). The PR comment would be:"; fi
sed 's/^/  | /' "$work/plan.md" | head -n 40

step "2. Merge to main: apply the reviewed plan (apply.yml)"
run apply "$work/plan.json" --auto-approve
[ "$code" -eq 0 ] || fail "apply exited $code"
run plan --dir "$meetings" --detailed-exitcode >"$work/after.txt"
[ "$code" -eq 0 ] || { cat "$work/after.txt"; fail "a plan after apply exited $code; expected 0 (no changes)"; }
echo "plan after apply: exit 0 (no changes)"

echo
echo "The same plan applied against another Webex, e.g. the fresh emulator of another CI job (another port):"
# Refused before any connection: the plan records the base URL it was made for.
set +e
WEBEX_BASE_URL=http://127.0.0.1:9/v1 meetctl apply "$work/plan.json" --auto-approve --format markdown >"$work/foreign.md" 2>"$work/foreign.err"
code=$?
set -e
[ "$code" -eq 1 ] || fail "apply of a plan made for another base URL exited $code; expected 1"
[ ! -s "$work/foreign.md" ] || fail "apply of a plan made for another base URL printed a report; expected none (nothing applied)"
grep -q 'the plan was made for' "$work/foreign.err" || { cat "$work/foreign.err"; fail "apply did not say why it refused the plan"; }
echo "apply of a plan made for another base URL: refused whole (exit 1), nothing applied."
echo "  $(cat "$work/foreign.err")"
echo "  apply.yml fails here and asks in the job summary for a manual run; it never re-plans on its own."

series_id=$(sed -n 's/^id: *//p' "$meetings/sales/weekly-sales-sync.yaml" 2>/dev/null || true)
series_host=$(sed -n 's/^hostEmail: *//p' "$meetings/sales/weekly-sales-sync.yaml" 2>/dev/null || true)
# Rename a series as the Webex web UI would: a direct PATCH (the documented body type; an admin
# names the series' host); the token comes from the environment.
rename_in_webex() {
  node -e '
    const [base, id, host, title] = process.argv.slice(1);
    fetch(`${base}/meetings/${id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${process.env.WEBEX_ACCESS_TOKEN}`, "content-type": "application/json-patch+json" },
      body: JSON.stringify(host ? { title, hostEmail: host } : { title }),
    }).then(async (r) => { if (!r.ok) { console.error(`PATCH failed: ${r.status} ${await r.text()}`); process.exit(1); } });
  ' "$WEBEX_BASE_URL" "$series_id" "$series_host" "$1"
}
if [ -n "$series_id" ]; then
  echo
  echo "Someone renames the Sales series in Webex; a plan reviewed on a PR would put the title back,"
  echo "but before the merge it is renamed again…"
  rename_in_webex "Sales Sync (renamed in Webex)"
  run plan --dir "$meetings" --out "$work/reviewed.json" --detailed-exitcode >/dev/null
  [ "$code" -eq 2 ] || fail "plan after a rename in Webex exited $code; expected 2"
  rename_in_webex "Sales Sync (renamed again)"
  run apply "$work/reviewed.json" --auto-approve --format markdown >"$work/stale.md"
  [ "$code" -eq 1 ] || { cat "$work/stale.md"; fail "apply of a plan whose meeting changed since exited $code; expected 1"; }
  grep -q '^| stale |' "$work/stale.md" || { cat "$work/stale.md"; fail "apply did not report the meeting as stale"; }
  echo "apply of the reviewed plan: exit 1, the Sales series is stale and was not changed:"
  sed 's/^/  | /' "$work/stale.md" | head -n 20
  echo "  apply.yml fails here and asks in the job summary for a manual run."

  step "2b. Manual run (apply.yml, workflow_dispatch): plan afresh from main and apply it at once"
  run plan --dir "$meetings" --format markdown --out "$work/manual.json" >"$work/manual-plan.md"
  [ "$code" -eq 0 ] || { cat "$work/manual-plan.md"; fail "the manual run's plan exited $code"; }
  run apply "$work/manual.json" --auto-approve --format markdown >"$work/manual.md"
  [ "$code" -eq 0 ] || { cat "$work/manual.md"; fail "the manual run's apply exited $code"; }
  run plan --dir "$meetings" --detailed-exitcode >"$work/after-manual.txt"
  [ "$code" -eq 0 ] || { cat "$work/after-manual.txt"; fail "a plan after the manual run exited $code; expected 0"; }
  echo "manual run: planned afresh and applied (exit 0); plan after it: exit 0 (no changes)"
else
  echo
  echo "skipped: the stale-plan and manual-run steps rename the example's sales series ($meetings/sales/weekly-sales-sync.yaml), which this tree does not have"
fi

step "3. Nightly: drift (drift.yml)"
run drift --dir "$meetings" --format markdown >"$work/drift-clean.md"
[ "$code" -eq 0 ] || { cat "$work/drift-clean.md"; fail "drift right after apply exited $code; expected 0"; }
echo "drift: exit 0 (in sync): CI would close an open meetctl-drift issue"

if [ -n "$series_id" ]; then
  echo "Someone renames the Sales series in Webex, outside git…"
  rename_in_webex "Sales Sync (edited in Webex)"
  run drift --dir "$meetings" --format markdown >"$work/drift.md"
  [ "$code" -eq 2 ] || { cat "$work/drift.md"; fail "drift after an outside edit exited $code; expected 2"; }
  grep -q 'Sales Sync (edited in Webex)' "$work/drift.md" || fail "the drift report does not show the live title"
  echo "drift: exit 2. CI would open or update the issue labelled meetctl-drift with:"
  sed 's/^/  | /' "$work/drift.md" | head -n 40
else
  echo "skipped: the drift-after-an-edit step renames the example's sales series, which this tree does not have"
fi

step "All three flows behaved as they do in CI${snapshot:+ (rehearsed against the snapshot $snapshot)}"
