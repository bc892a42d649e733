#!/usr/bin/env bash
# Fuzz trawl with libFuzzer (cargo-fuzz) on the stable toolchain.
#
#   fuzz/run.sh                  # both targets, 600 s each, one after the other
#   FUZZ_SECONDS=60 fuzz/run.sh  # shorter
#   fuzz/run.sh query            # one target
#
# SANITIZER=address|none (default: address, which works on stable). A crash is saved
# under fuzz/artifacts/<target>/; minimise it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz tmin -O -s "$SANITIZER" <target> <file>
# (-O: debug assertions and overflow checks then come from fuzz/Cargo.toml;
# without it cargo-fuzz turns them on for every crate through RUSTFLAGS)
# and keep it in tests/data/fuzz-regressions/<target>-<name>.
set -euo pipefail

FUZZ_DIR=$(cd "$(dirname "$0")" && pwd)
SEEDS="$FUZZ_DIR/../../shared/corpus/mime-edge-cases"
SECONDS_EACH=${FUZZ_SECONDS:-600}
SANITIZER=${SANITIZER:-address}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(ingest_file query)

# cargo-fuzz passes -Z flags to rustc: allow them on stable.
export RUSTC_BOOTSTRAP=1
# The bundled SQLite defines the same static tables in two translation
# units, which AddressSanitizer's one-definition check reports at start-up
# before any input is tried; it is not a bug of the code under test.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}"
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

if [ ! -d "$SEEDS" ]; then
    echo "error: seed folder $SEEDS is missing (the shared corpus sits next to the checkout: ../shared/corpus/mime-edge-cases)" >&2
    exit 1
fi

cd "$FUZZ_DIR"

# ingest_file inputs are <one byte picking the file name><file bytes>; the
# byte indexes NAMES in harness.rs: 0 .eml, 1 .mbox, 2 no extension,
# 3 .msg, 4 .zip. Seeds get the one their own name suggests.
pick() {
    case "${1,,}" in
        *.eml) printf '\x00' ;;
        *.mbox | mbox.*) printf '\x01' ;;
        *.msg) printf '\x03' ;;
        *.zip) printf '\x04' ;;
        *) printf '\x02' ;;
    esac
}
mkdir -p corpus/ingest_file corpus/query
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    { pick "$f"; cat "$f"; } >"corpus/ingest_file/seed-$(printf '%04d' "$n")"
done < <(find "$SEEDS" -type f -print0 | sort -z)

q=0
while IFS= read -r line; do
    q=$((q + 1))
    printf '%s' "$line" >"corpus/query/seed-$(printf '%02d' "$q")"
done <<'QUERIES'
from:claire date:2017-03
subject:"demande de réaction" AND NOT tag:suspect
(from:alice OR to:bob) -has:attachment
dkim:pass after:2017-01 before:2017-06-15
date:2017-03-01..2017-04 is:unread
-"e-mail" OR body:"a \"quoted\" word" cc:x@y.org
filename:report.pdf author:"Jean Dupont" dkim:none
NOT (a OR (b AND -(c d))) 12:30 http://x :x
date:..2018 tag:follow-up is:read
form:bob "mailto:x" date:2017-02-30 ((
QUERIES

# A private temporary folder for the ingest target's input files.
export TMPDIR="$FUZZ_DIR/target/tmp"
mkdir -p "$TMPDIR"

summary=()
failed=0
for target in "${TARGETS[@]}"; do
    before=$(find "corpus/$target" -type f | wc -l)
    log="target/fuzz-$target.log"
    mkdir -p target "artifacts/$target"
    echo "fuzzing $target for $SECONDS_EACH s ($before inputs in the corpus, log in fuzz/$log)" >&2
    start=$(date +%s)
    touch "$log.start"
    status=0
    # -O, so that fuzz/Cargo.toml's release profile decides the checks:
    # debug assertions and overflow checks on, except in mail-parser, whose
    # debug_assert!(false) the fuzzer reaches at once (kept in
    # tests/data/fuzz-regressions/) and which release builds, like
    # trawl's, run past. Without -O cargo-fuzz adds -Cdebug-assertions to
    # RUSTFLAGS, which applies to every crate whatever the profile says.
    cargo fuzz run -O -s "$SANITIZER" "$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -report_slow_units=2 >"$log" 2>&1 || status=$?
    took=$(($(date +%s) - start))
    after=$(find "corpus/$target" -type f | wc -l)
    # The final stats line, else the last "#N  DONE/pulse/NEW" status line.
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    # libFuzzer stops at the first crash, timeout or out-of-memory and saves
    # it in artifacts/<target>/ (slow-unit-* files are only slow inputs).
    crashes=$(find "artifacts/$target" -type f -newer "$log.start" \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) \
        2>/dev/null | wc -l)
    [ "$status" -eq 0 ] || [ "$crashes" -gt 0 ] || crashes=1
    rm -f "$log.start"
    summary+=("$target: ${execs:-0} executions in $took s, $crashes crashes (corpus $before -> $after inputs, exit $status)")
    if [ "$status" -ne 0 ]; then
        # The panic or sanitizer report (cut: the input is printed too).
        grep -v -E '^#[0-9]+|^\s+NEW_FUNC' "$log" | tail -n 60 | cut -c1-200 >&2
        failed=1
    fi
done
rm -rf "$TMPDIR"

printf '%s\n' "${summary[@]}"
exit "$failed"
