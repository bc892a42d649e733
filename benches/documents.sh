# shellcheck shell=bash
# benches/documents.sh — sourced by benches/run.sh (not run on its own):
# issue 5's extraction timings. `examples/office_fixtures.rs` writes a
# 20-page text PDF and a ~5 MB spreadsheet; `trawl bench-extract` times
# extracting each ($RUNS runs, median), which is what the preview waits for
# before the first text shows.

bench_documents() { # bench_documents K
  local k=$1 dir=$DATA/office-fixtures line
  R[$k.status]="not run"
  if [[ -z $TRAWL ]] || ! has_sub bench-extract; then R[$k.status]="not available: this build has no \`trawl bench-extract\`"; return 0; fi
  if [[ -z $TARGET_DIR ]]; then R[$k.status]="not available: no cargo to build the fixtures"; return 0; fi
  log "building and running the fixtures: cargo run --release --locked --example office_fixtures"
  if ! (cd "$REPO" && cargo run --release --locked --example office_fixtures -- "$dir") >"$LOGS/office-fixtures.log" 2>&1; then
    R[$k.status]="the fixtures could not be written (see $LOGS/office-fixtures.log)"; return 0
  fi
  measure "$LOGS/bench-extract" "$TRAWL" bench-extract "$dir/report-20-pages.pdf" "$dir/ledger-5mb.xlsx" --runs "$RUNS"
  line=$(last_json_line "$LOGS/bench-extract.out")
  if ((M_RC != 0)) || [[ -z $line ]]; then R[$k.status]=$(fail_note "$LOGS/bench-extract" "$M_RC"); return 0; fi
  R[$k.status]=ok R[$k.json]=$line
  log "  bench-extract: $line"
}

documents_section() { # documents_section K
  local k=$1
  echo
  echo "## Documents (issue 5)"
  echo
  if [[ $(get "$k.status") != ok ]]; then echo "Not measured: $(get "$k.status")."; return 0; fi
  echo "Time from a document's bytes to its text and metadata (\`trawl bench-extract\`, median of $RUNS runs in one process; the preview shows the text when this is done). The files come from \`cargo run --release --example office_fixtures -- DIR\` (deterministic)."
  echo
  echo "| file | size | type | characters of text | median ms | max ms | target |"
  echo "|---|---:|---|---:|---:|---:|---|"
  if command -v jq >/dev/null 2>&1; then
    jq -r '.files[] | "| \(.file) | \(.bytes) | \(.kind) | \(.text_chars) | \(.median_ms * 10 | round / 10) | \(.max_ms * 10 | round / 10) | \(if .median_ms <= 500 then "**met** (≤ 500 ms to first text)" else "**missed** (≤ 500 ms to first text)" end) |"' <<<"$(get "$k.json")"
  else
    echo "| (jq is needed for this table; the JSON line follows) | | | | | | |"
  fi
  echo
  echo "\`trawl bench-extract\` printed: \`$(get "$k.json")\`"
}
