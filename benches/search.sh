# shellcheck shell=bash
# benches/search.sh — sourced by benches/run.sh (not run on its own): the
# search measurements of issue 4. Uses run.sh's helpers (measure, repeat,
# json_get, fmt, calc, R[…]) and its variables (TRAWL, RUNS, LOGS, STATE).
#
# - bench_text K DUMP: `trawl index --text` from a fresh state (catalog and
#   full-text index: what mu index and notmuch new build), kept for queries.
# - bench_queries K DUMP: each query of benches/queries-enron.tsv, written
#   in each tool's language, run by trawl search, notmuch search and mu find
#   on the indexes built in this run: hits and wall time of the command.
# - bench_search_synth K DUMP: trawl bench-search on a large dump (query
#   latency inside one process; the quick filter per keystroke).
# - search_section: the report's part.

QUERIES_FILE=$REPO/benches/queries-enron.tsv
TRAWL_TEXT=0 TRAWL_BENCH_SEARCH=0
if [[ -n $TRAWL ]]; then
  h=$("$TRAWL" index --help 2>/dev/null || true)
  grep -qE '^ +--text\b' <<<"$h" && TRAWL_TEXT=1
  has_sub bench-search && TRAWL_BENCH_SEARCH=1
fi

# json_text LINE KEY: a scalar of the "text" object in `trawl index --json`.
json_text() {
  if command -v jq >/dev/null 2>&1; then
    jq -r --arg k "$2" '.text[$k] // empty | tostring' <<<"$1" 2>/dev/null || true
  else
    sed -n "s/.*\"text\":{[^}]*\"$2\":\\([0-9.eE+-]*\\).*/\\1/p" <<<"$1"
  fi
}

bench_text() { # bench_text K DUMP
  local k=$1 dump=$2 pre=$LOGS/${1//./-} st line
  if [[ -z $TRAWL ]] || ((!TRAWL_TEXT)); then
    R[$k.status]="not available: ${TRAWL_NOTE:-this build has no \`trawl index --text\`}"; log "  trawl --text: ${R[$k.status]}"; return 0
  fi
  st=$(mktemp -d "$STATE/trawl-text.XXXX")
  R[$k.state]=$st
  warm_cache "$dump"
  log "  trawl index --text (fresh TRAWL_DATA_DIR: catalog, then full-text index)"
  measure "$pre.index" env TRAWL_DATA_DIR="$st" "$TRAWL" index "$dump" --text --json
  line=$(last_json_line "$pre.index.out")
  if ((M_RC != 0)) || [[ -z $line ]]; then
    R[$k.status]=$(fail_note "$pre.index" "$M_RC"); log "  trawl --text: ${R[$k.status]}"; return 0
  fi
  R[$k.status]=ok R[$k.wall]=$M_WALL R[$k.rss_kb]=$M_RSS_KB R[$k.load]=$M_LOAD R[$k.json]=$line
  R[$k.msgs]=$(json_get "$line" messages) R[$k.catalog_seconds]=$(json_get "$line" seconds)
  R[$k.catalog_bytes]=$(json_get "$line" catalog_bytes)
  R[$k.text_bytes]=$(json_text "$line" bytes) R[$k.text_seconds]=$(json_text "$line" seconds)
  R[$k.index_bytes]=$(dir_bytes "$st")
  log "  trawl --text: $(get "$k.msgs") messages in $M_WALL s, peak RSS $(fmt "$(mib "$M_RSS_KB")" 0) MiB, text index $(fmt "$(mb "$(get "$k.text_bytes")")" 1) MB"
}

# out_lines CMD…: lines CMD prints (mu find exits 4 when nothing matches).
out_lines() { { "$@" 2>/dev/null || true; } | wc -l | tr -d ' '; }

bench_queries() { # bench_queries K DUMP — on the states kept in R[K.text.state], R[K.mu.state], R[K.notmuch.state]
  local k=$1 dump=$2 i=0 label tq nq mq pre st mh nc
  st=$(get "$k.text.state") mh=$(get "$k.mu.state") nc=$(get "$k.notmuch.state")
  while IFS=$'\t' read -r label tq nq mq; do
    [[ -z $label || $label == \#* ]] && continue
    i=$((i + 1)) pre=$LOGS/${k//./-}-q$i
    R[$k.q$i.label]=$label R[$k.q$i.trawl_q]=$tq R[$k.q$i.notmuch_q]=$nq R[$k.q$i.mu_q]=$mq
    log "  query $i ($label): $tq"
    if [[ -n $st && $(get "$k.text.status") == ok ]]; then
      R[$k.q$i.trawl_n]=$(out_lines env TRAWL_DATA_DIR="$st" "$TRAWL" search --no-update "$dump" "$tq")
      repeat "$pre.trawl" env TRAWL_DATA_DIR="$st" "$TRAWL" search --no-update "$dump" "$tq"
      ((H_RC == 0)) && R[$k.q$i.trawl_ms]=$(calc "$H_MEAN * 1000")
      repeat "$pre.trawl-upd" env TRAWL_DATA_DIR="$st" "$TRAWL" search "$dump" "$tq"
      ((H_RC == 0)) && R[$k.q$i.trawl_upd_ms]=$(calc "$H_MEAN * 1000")
    fi
    if [[ -n $nc ]]; then
      R[$k.q$i.notmuch_n]=$(out_lines env NOTMUCH_CONFIG="$nc" notmuch search --output=messages "$nq")
      repeat "$pre.notmuch" env NOTMUCH_CONFIG="$nc" notmuch search --output=messages "$nq"
      ((H_RC == 0)) && R[$k.q$i.notmuch_ms]=$(calc "$H_MEAN * 1000")
    fi
    if [[ -n $mh ]]; then
      R[$k.q$i.mu_n]=$(out_lines mu find --muhome="$mh" --fields=l "$mq")
      # mu find exits 4 when nothing matches, which hyperfine takes for a failure.
      if [[ $(get "$k.q$i.mu_n") != 0 ]]; then
        repeat "$pre.mu" mu find --muhome="$mh" --fields=l "$mq"
        ((H_RC == 0)) && R[$k.q$i.mu_ms]=$(calc "$H_MEAN * 1000")
      fi
    fi
    log "    hits: trawl $(get "$k.q$i.trawl_n"), notmuch $(get "$k.q$i.notmuch_n"), mu $(get "$k.q$i.mu_n")"
  done <"$QUERIES_FILE"
  R[$k.queries]=$i
  # trawl's own time per query inside one process (no process start, no
  # catalog load), on the same queries.
  if [[ -n $st ]] && ((TRAWL_BENCH_SEARCH)); then
    cut -f2 "$QUERIES_FILE" | grep -v '^#' | grep -v '^$' >"$LOGS/${k//./-}-trawl-queries.txt"
    measure "$LOGS/${k//./-}-bench" env TRAWL_DATA_DIR="$st" "$TRAWL" bench-search "$dump" --runs "$RUNS" --queries "$LOGS/${k//./-}-trawl-queries.txt"
    R[$k.bench_json]=$(last_json_line "$LOGS/${k//./-}-bench.out")
  fi
}

bench_search_synth() { # bench_search_synth K DUMP — after bench_text K DUMP
  local k=$1 dump=$2 st line
  st=$(get "$k.state")
  if [[ -z $st || $(get "$k.status") != ok ]] || ((!TRAWL_BENCH_SEARCH)); then
    R[$k.search_status]="not run"; return 0
  fi
  log "  trawl bench-search ($RUNS runs of each query)"
  measure "$LOGS/${k//./-}-bench" env TRAWL_DATA_DIR="$st" "$TRAWL" bench-search "$dump" --runs "$RUNS"
  line=$(last_json_line "$LOGS/${k//./-}-bench.out")
  if ((M_RC != 0)) || [[ -z $line ]]; then R[$k.search_status]=$(fail_note "$LOGS/${k//./-}-bench" "$M_RC"); return 0; fi
  R[$k.search_status]=ok R[$k.bench_json]=$line
  local key; for key in p50_ms p95_ms max_ms quick_build_ms quick_key_p50_ms quick_key_p95_ms quick_key_max_ms mean_hits; do
    R[$k.$key]=$(json_get "$line" "$key")
  done
  log "  bench-search: query p95 $(fmt "$(get "$k.p95_ms")" 1) ms, quick filter key p95 $(fmt "$(get "$k.quick_key_p95_ms")" 1) ms"
}

# per_query_rows JSON: the per-query lines of a bench-search report.
per_query_rows() {
  if command -v jq >/dev/null 2>&1; then
    jq -r '.per_query[]? | "| `\(.query)` | \(.hits) | \(.p50_ms * 100 | round / 100) |"' <<<"$1" 2>/dev/null || true
  fi
}

q_cell() { local n=$1 ms=$2; num "$n" || { printf '– | –'; return; }; printf '%s | %s' "$(fmt "$n" 0)" "$(fmt "$ms" 1)"; }

search_section() {
  echo
  echo "## Search (issue 4)"
  echo
  echo "### Indexing with full text, Enron 20k"
  echo
  echo "mu and notmuch always build a full-text index; trawl builds its catalog (the rows above) and, with \`trawl index --text\` (or when the browser or \`trawl search\` first needs it), a tantivy full-text index of subjects, senders, recipients, bodies and attachment names. This row is \`TRAWL_DATA_DIR=<fresh> trawl index DUMP --text --json\`, timed like the others, on the same folder in the same run; the mu and notmuch rows are repeated from the table above."
  echo
  echo "$TABLE_HEAD"
  table_row enron.text "trawl, catalog + full text" $ENRON_EXPECTED
  table_row enron.mu "mu $MU_VER" $ENRON_EXPECTED
  table_row enron.notmuch "notmuch $NOTMUCH_VER" $ENRON_EXPECTED
  load_note enron.text "trawl --text"
  if [[ $(get enron.text.status) == ok ]]; then
    echo
    echo "\`trawl index --text --json\` printed: \`$(get enron.text.json)\`"
    echo
    echo "| figure | value | floor | goal | target |"
    echo "|---|---:|---:|---:|---|"
    local v
    v=$(calc "$(get enron.text.msgs) / $(get enron.text.wall)")
    target_row "ingest with full-text indexing (msg/s, wall)" "$(fmt "$v" 0)" "$v" ge 10000 30000 "≥ 10,000" "≥ 30,000"
    v=$(calc "100 * $(get enron.text.text_bytes) / $(get enron.text.data_bytes)")
    target_row "full-text index size, % of dump" "$(fmt "$v" 1)" "$v" le 35 20 "≤ 35 %" "≤ 20 %"
    num "$(get enron.mu.wall)" && printf '| speed against mu index (× faster) | %s | ≈ 10× | ≈ 30× | |\n' "$(fmt "$(calc "$(get enron.mu.wall) / $(get enron.text.wall)")" 1)"
  fi
  echo
  echo "### The same queries in trawl, notmuch and mu, Enron 20k"
  echo
  echo "Each query of \`benches/queries-enron.tsv\`, written in each tool's language, on the indexes built in this run from the same folder. Hits = lines printed by \`trawl search --no-update DUMP Q\`, \`notmuch search --output=messages Q\`, \`mu find --fields=l Q\`; ms = wall time of that whole command (process start, opening the index, printing every hit to a pipe), mean of $RUNS runs after 1 warm-up (hyperfine). \`--no-update\` searches the index as built, like notmuch and mu, which never look at the mail folder when searching; plain \`trawl search\` first checks the dump for changes (every file's size and mtime), shown in its own column. Counts differ where the tools index differently: notmuch stems English words (\`pipeline\` also finds \`pipelines\`), mu and trawl do not; a bare word looks in different header fields in each tool (trawl: subject, sender, recipients, body, attachment names); trawl's and notmuch's dates are UTC days, mu's local ones."
  echo
  echo "| query | trawl | hits | ms | ms with dump check | notmuch | hits | ms | mu | hits | ms |"
  echo "|---|---|---:|---:|---:|---|---:|---:|---|---:|---:|"
  local i n=$(get enron.queries)
  for ((i = 1; i <= ${n:-0}; i++)); do
    printf '| %s | `%s` | %s | %s | `%s` | %s | `%s` | %s |\n' "$(get enron.q$i.label)" \
      "$(get enron.q$i.trawl_q)" "$(q_cell "$(get enron.q$i.trawl_n)" "$(get enron.q$i.trawl_ms)")" "$(fmt "$(get enron.q$i.trawl_upd_ms)" 1)" \
      "$(get enron.q$i.notmuch_q)" "$(q_cell "$(get enron.q$i.notmuch_n)" "$(get enron.q$i.notmuch_ms)")" \
      "$(get enron.q$i.mu_q)" "$(q_cell "$(get enron.q$i.mu_n)" "$(get enron.q$i.mu_ms)")"
  done
  local bj; bj=$(get enron.bench_json)
  if [[ -n $bj ]]; then
    echo
    echo "trawl's own time for the same queries inside one process (\`trawl bench-search --queries\`: parse, full-text lookup, set algebra, ordering by relevance; median of $RUNS runs): p50 $(fmt "$(json_get "$bj" p50_ms)" 2) ms, p95 $(fmt "$(json_get "$bj" p95_ms)" 2) ms."
    echo
    echo "| trawl query | hits | median ms |"
    echo "|---|---:|---:|"
    per_query_rows "$bj"
  fi
  echo
  echo "### Search at scale: synthetic $(fmt "$SYNTH_N" 0) (mixed dump)"
  echo
  if [[ $(get synth.text.status) != ok ]]; then
    echo "Not measured: $(get synth.text.status)."
    return 0
  fi
  echo "\`TRAWL_DATA_DIR=<fresh> trawl index DUMP --text --json\` (catalog and full-text index), then \`trawl bench-search DUMP --runs $RUNS\`: a mixed query set made from the dump itself (words, a phrase, a sender, a month, a negation, an OR, attachment filters), each run $RUNS times in one process, then the quick filter fed the plain words one keystroke at a time, each keystroke narrowing the last (as typing does). mu and notmuch have no quick filter; they do not read this mixed dump (see above)."
  echo
  echo "\`trawl index --text --json\` printed: \`$(get synth.text.json)\`"
  echo
  echo "\`trawl bench-search\` printed: \`$(get synth.text.bench_json)\`"
  echo
  echo "| figure | value | floor | goal | target |"
  echo "|---|---:|---:|---:|---|"
  local v
  v=$(get synth.text.p95_ms)
  target_row "full-text query, $(fmt "$SYNTH_N" 0) documents, p95 (ms)" "$(fmt "$v" 1) (p50 $(fmt "$(get synth.text.p50_ms)" 1))" "$v" le 100 20 "≤ 100" "≤ 20"
  v=$(get synth.text.quick_key_p95_ms)
  target_row "quick filter per keystroke, p95 (ms)" "$(fmt "$v" 1) (p50 $(fmt "$(get synth.text.quick_key_p50_ms)" 1))" "$v" le 33 16 "≤ 33" "≤ 16"
  v=$(calc "100 * $(get synth.text.text_bytes) / $(get synth.text.data_bytes)")
  target_row "full-text index size, % of dump" "$(fmt "$v" 1)" "$v" le 35 20 "≤ 35 %" "≤ 20 %"
  printf '| catalog + full-text index from scratch (s, msg/s) | %s s, %s msg/s | | | no target |\n' "$(fmt "$(get synth.text.wall)" 1)" "$(fmt "$(calc "$(get synth.text.msgs) / $(get synth.text.wall)")" 0)"
  printf '| peak RSS of that run (MB) | %s | | | no target |\n' "$(fmt "$(mib "$(get synth.text.rss_kb)")" 0)"
  printf '| quick filter: lowering every document'"'"'s text when it opens (ms, on its own thread) | %s | | | no target |\n' "$(fmt "$(get synth.text.quick_build_ms)" 0)"
  echo
  echo "| query | hits | median ms |"
  echo "|---|---:|---:|"
  per_query_rows "$(get synth.text.bench_json)"
}
