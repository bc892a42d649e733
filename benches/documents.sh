# shellcheck shell=bash
# benches/documents.sh — sourced by benches/run.sh (not run on its own):
# issue 5's extraction timings. `examples/office_fixtures.rs` writes a
# 20-page text PDF and a ~5 MB spreadsheet; `trawl bench-extract` times
# extracting each ($RUNS runs, median), which is what the preview waits for
# before the first text shows.
#
# bench_office K: `examples/office_dump.rs` writes a dump that is half
# e-mail, half office documents (DOCX, XLSX, PDF, ODT, each distinct);
# `trawl index --text` from a fresh state on the whole dump and on its mail
# half alone: documents/s and MB/s with and without office extraction.

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

bench_office() { # bench_office K
  local k=$1 dir=$DATA/office-dump-$OFFICE_N half pre st line
  R[$k.status]="not run"
  if [[ -z $TRAWL ]] || ((!TRAWL_TEXT)); then R[$k.status]="not available: this build has no \`trawl index --text\`"; return 0; fi
  if [[ -z $TARGET_DIR ]]; then R[$k.status]="not available: no cargo to build the generator"; return 0; fi
  log "generating the half-office dump ($OFFICE_N documents): cargo run --release --locked --example office_dump"
  rm -rf -- "$dir"
  if ! (cd "$REPO" && cargo run --release --locked --example office_dump -- "$dir" --documents "$OFFICE_N") >"$LOGS/office-dump.log" 2>&1; then
    R[$k.status]="the dump could not be written (see $LOGS/office-dump.log)"; return 0
  fi
  R[$k.summary]=$(last_json_line "$LOGS/office-dump.log")
  for half in all mail; do
    local target=$dir; [[ $half == mail ]] && target=$dir/mail
    pre=$LOGS/${k}-$half st=$(mktemp -d "$STATE/trawl-office.XXXX")
    warm_cache "$target"
    log "  trawl index --text on the $half of the dump (fresh TRAWL_DATA_DIR)"
    measure "$pre" env TRAWL_DATA_DIR="$st" "$TRAWL" index "$target" --text --json
    line=$(last_json_line "$pre.out")
    drop_state "$st"
    if ((M_RC != 0)) || [[ -z $line ]]; then R[$k.status]=$(fail_note "$pre" "$M_RC"); return 0; fi
    R[$k.$half.wall]=$M_WALL R[$k.$half.rss_kb]=$M_RSS_KB R[$k.$half.json]=$line
    R[$k.$half.docs]=$(json_get "$line" documents) R[$k.$half.msgs]=$(json_get "$line" messages)
    R[$k.$half.bytes]=$(data_bytes "$target") R[$k.$half.files]=$(file_count "$target")
    log "  $half: $(get "$k.$half.docs") documents in $M_WALL s"
  done
  R[$k.status]=ok
}

office_row() { # office_row K HALF LABEL
  local k=$1 h=$2 wall docs bytes
  wall=$(get "$k.$h.wall") docs=$(get "$k.$h.docs") bytes=$(get "$k.$h.bytes")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$3" "$(fmt "$(get "$k.$h.files")" 0)" "$(fmt "$docs" 0)" \
    "$(fmt "$(mb "$bytes")" 1)" "$(fmt "$wall" 2)" "$(fmt "$(calc "$docs / $wall")" 0)" \
    "$(fmt "$(calc "$bytes / 1000000 / $wall")" 1)" "$(fmt "$(mib "$(get "$k.$h.rss_kb")")" 0)"
}

office_section() { # office_section K
  local k=$1
  echo
  echo "### Indexing a dump that is half office documents"
  echo
  if [[ $(get "$k.status") != ok ]]; then echo "Not measured: $(get "$k.status")."; return 0; fi
  echo "\`cargo run --release --example office_dump -- DIR --documents $OFFICE_N\` writes $(fmt "$((OFFICE_N / 2))" 0) synthetic messages (\`DIR/mail\`, the same generator as the synthetic rows above) and $(fmt "$((OFFICE_N - OFFICE_N / 2))" 0) office files (\`DIR/documents\`: DOCX, XLSX, PDF and ODT in turn, each with its own text and metadata). Each row is \`TRAWL_DATA_DIR=<fresh> trawl index DIR --text --json\` (catalog and full-text index, every office file's text extracted in a memory-capped child process), warm cache. *Documents* counts messages, attachments and files. mu and notmuch do not extract text from office files, so there is no row for them: the mail-only row is the like-for-like figure."
  echo
  echo "| data | files | documents | MB | wall s | documents/s | MB/s | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  office_row "$k" all "half office documents (whole dump)"
  office_row "$k" mail "pure mail (its \`mail/\` half alone)"
  echo
  echo "Peak RSS is trawl's own process; each extraction child is capped at 1 GB."
  echo
  echo "\`office_dump\` printed: \`$(get "$k.summary")\`"
  echo
  echo "\`trawl index --text --json\` printed, whole dump: \`$(get "$k.all.json")\`; mail half: \`$(get "$k.mail.json")\`"
}

documents_section() { # documents_section K
  local k=$1
  echo
  echo "## Documents (issue 5)"
  echo
  if [[ $(get "$k.status") != ok ]]; then echo "Not measured: $(get "$k.status")."; return 0; fi
  echo "Time from a document's bytes to its text and metadata (\`trawl bench-extract\`, median of $RUNS runs, each in trawl's memory-capped extraction child as the preview does it; the first run also starts the child, so it is the max; the preview shows the text when this is done). The files come from \`cargo run --release --example office_fixtures -- DIR\` (deterministic)."
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
