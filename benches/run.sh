#!/usr/bin/env bash
# benches/run.sh — index the same data with trawl, `mu index` and `notmuch new`
# side by side on this machine and write the results to BENCHMARKS.md.
#
#   bash benches/run.sh [--quick] [--out FILE] [--data DIR]
#
# See benches/README.md for what it measures, how long it takes and what it
# installs. Not part of CI: nothing in .ci/ calls it.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash benches/run.sh [--quick] [--out FILE] [--data DIR]
                           [--trawl-bin FILE] [--synth-dump DIR] [--keep-state]

  --quick           synthetic data set of 50,000 messages instead of 500,000
                    and 3 instead of 5 timed re-index runs
  --out FILE        where to write the report (default: BENCHMARKS.md in the
                    repository root)
  --data DIR        where data sets, logs and temporary state live (default:
                    /work/bench-data, or $TMPDIR/trawl-bench-data when that
                    is not writable); generated data is reused across runs
  --trawl-bin FILE  measure this trawl binary instead of building one
  --synth-dump DIR  use this existing mixed dump as the synthetic data set
                    instead of generating one (read only)
  --keep-state      keep the tools' index/state folders (printed at the end)
EOF
}

QUICK=0
OUT=""
DATA=""
TRAWL_BIN_OPT=""
SYNTH_DUMP_OPT=""
KEEP_STATE=0
KEEP_FOR_QUERIES=0
while (($#)); do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) OUT=${2:?--out needs a file}; shift ;;
    --out=*) OUT=${1#*=} ;;
    --data) DATA=${2:?--data needs a folder}; shift ;;
    --data=*) DATA=${1#*=} ;;
    --trawl-bin) TRAWL_BIN_OPT=${2:?--trawl-bin needs a file}; shift ;;
    --trawl-bin=*) TRAWL_BIN_OPT=${1#*=} ;;
    --synth-dump) SYNTH_DUMP_OPT=${2:?--synth-dump needs a folder}; shift ;;
    --synth-dump=*) SYNTH_DUMP_OPT=${1#*=} ;;
    --keep-state) KEEP_STATE=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

abspath() { # a path that need not exist yet, made absolute
  case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac
}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$(abspath "${OUT:-$REPO/BENCHMARKS.md}")
[[ -n $TRAWL_BIN_OPT ]] && TRAWL_BIN_OPT=$(abspath "$TRAWL_BIN_OPT")
[[ -n $SYNTH_DUMP_OPT ]] && SYNTH_DUMP_OPT=$(cd "$SYNTH_DUMP_OPT" && pwd)
PARENT=$(cd "$REPO/.." && pwd)
ENRON_SRC=${PARENT%/}/shared/corpus/enron-maildir/maildir
ENRON_EXPECTED=20155
SEED=1
if ((QUICK)); then SYNTH_N=50000 RUNS=3 OFFICE_N=10000; else SYNTH_N=500000 RUNS=5 OFFICE_N=40000; fi
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
START_S=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '[%s %+5ds] %s\n' "$(date +%H:%M:%S)" $(($(date +%s) - START_S)) "$*"; }
warn() { log "WARNING: $*"; }

# ---------------------------------------------------------------- data dir --
writable_dir() { mkdir -p "$1" 2>/dev/null && [[ -w $1 ]] && touch "$1/.probe" 2>/dev/null && rm -f "$1/.probe"; }
if [[ -z $DATA ]]; then
  DATA=/work/bench-data
  writable_dir "$DATA" || DATA=${TMPDIR:-/tmp}/trawl-bench-data
fi
DATA=$(abspath "$DATA")
writable_dir "$DATA" || { echo "run.sh: cannot write to data folder $DATA" >&2; exit 1; }
# One run at a time per data folder: two runs would share (and could both
# rebuild) the data sets, and would slow each other's measurements.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DATA/.run.lock"
  if ! flock -n 9; then
    echo "run.sh: another benches/run.sh is using $DATA; waiting for it to finish (Ctrl-C to give up)"
    flock 9
  fi
  # Holding the lock, any state folder left here is from a run that was killed.
  for old in "$DATA"/state.*; do [[ -d $old ]] && rm -rf -- "$old"; done
fi
START_S=$(date +%s) LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg) # time the run, not the wait
RUN_ID=$(date +%Y%m%d-%H%M%S)
LOGS=$DATA/logs/$RUN_ID
mkdir -p "$LOGS"
STATE=$(mktemp -d "$DATA/state.$RUN_ID.XXXX") # every tool's fresh index lives under here

cleanup() {
  local rc=$?
  if ((KEEP_STATE)); then
    [[ -d $STATE ]] && echo "state kept in $STATE"
  else
    rm -rf -- "$STATE"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; log "interrupted"; exit 130' INT TERM

log "trawl benchmark harness: data in $DATA, logs in $LOGS"
free_gb=$(df -Pk "$DATA" | awk 'NR == 2 { printf "%d", $4 / 1048576 }')
need_gb=$( ((QUICK)) && echo 3 || echo 20)
((free_gb >= need_gb)) || warn "only $free_gb GB free in $DATA; this run may need about $need_gb GB (data sets plus the largest index)"
((QUICK)) && log "--quick: synthetic set of $SYNTH_N messages, $RUNS timed re-index runs"

# ---------------------------------------------------------- small helpers --
# Everything the report shows is kept in R[key]; missing keys print as "–".
declare -A R=()
get() { printf '%s' "${R[$1]:-}"; }

num() { [[ $1 =~ ^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }
calc() { awk "BEGIN { printf \"%s\", $1 }" 2>/dev/null || true; } # calc 'expr'
fmt() { # fmt VALUE DECIMALS — thousands separators, "–" when not a number
  if num "${1:-}"; then
    awk -v v="$1" -v d="$2" 'BEGIN {
      s = sprintf("%." d "f", v); neg = (s ~ /^-/); if (neg) s = substr(s, 2)
      i = index(s, "."); ip = i ? substr(s, 1, i - 1) : s; fp = i ? substr(s, i) : ""
      o = ""; while (length(ip) > 3) { o = "," substr(ip, length(ip) - 2) o; ip = substr(ip, 1, length(ip) - 3) }
      printf "%s%s%s%s", (neg ? "-" : ""), ip, o, fp }'
  else
    printf '–'
  fi
}
mb() { num "${1:-}" && calc "$1 / 1000000" || true; }   # bytes -> MB (10^6)
mib() { num "${1:-}" && calc "$1 / 1024" || true; }   # KiB -> MiB

# json_get FILE_OR_LINE KEY: a top-level scalar of a one-line JSON object.
json_get() {
  local line=$1 key=$2 v=""
  if command -v jq >/dev/null 2>&1; then
    v=$(jq -r --arg k "$key" 'if type == "object" and has($k) then .[$k] | tostring else empty end' <<<"$line" 2>/dev/null || true)
  else
    v=$(grep -o "\"$key\"[[:space:]]*:[[:space:]]*[^,}]*" <<<"$line" | head -n1 | sed 's/^[^:]*:[[:space:]]*//; s/^"//; s/"$//' || true)
  fi
  printf '%s' "$v"
}
last_json_line() { grep -E '^[[:space:]]*\{.*\}[[:space:]]*$' "$1" 2>/dev/null | tail -n1 || true; }

data_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }'; }
file_count() { find "$1" -type f | wc -l | tr -d ' '; }
dir_bytes() { du -sb "$1" 2>/dev/null | cut -f1; }
fingerprint() { find "$1" -printf '%P\t%y\t%s\t%T@\n' | sort | md5sum | cut -c1-32; }
warm_cache() { find "$1" -type f -print0 | xargs -0 -r cat >/dev/null 2>&1 || true; }
shq() { local a out=""; for a in "$@"; do out+="'${a//\'/\'\\\'\'}' "; done; printf '%s' "${out% }"; }

# --------------------------------------------------------- 1. the tools ----
# (Output is captured before matching: with pipefail, `cmd | grep -q` can
# fail when grep exits early and cmd gets SIGPIPE.)
is_gnu_time() { local v; v=$(/usr/bin/time --version 2>&1 || true); [[ $v == *GNU* ]]; }
SUDO=""
if ((EUID != 0)); then command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"; fi
missing=()
command -v mu >/dev/null 2>&1 || missing+=(maildir-utils)
command -v notmuch >/dev/null 2>&1 || missing+=(notmuch)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
is_gnu_time || missing+=(time)
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} (apt-get, log: $LOGS/apt.log)"
    $SUDO apt-get update >"$LOGS/apt.log" 2>&1 || warn "apt-get update failed"
    if ! $SUDO apt-get install -y "${missing[@]}" >>"$LOGS/apt.log" 2>&1; then
      for p in "${missing[@]}"; do # one by one, so one missing package does not block the rest
        $SUDO apt-get install -y "$p" >>"$LOGS/apt.log" 2>&1 || warn "could not install $p"
      done
    fi
  else
    warn "no apt-get: cannot install ${missing[*]}"
  fi
fi
GNU_TIME=""
is_gnu_time && GNU_TIME=/usr/bin/time
[[ -n $GNU_TIME ]] || warn "GNU time not available: peak RSS will be reported as not available"
HAVE_HYPERFINE=0
command -v hyperfine >/dev/null 2>&1 && HAVE_HYPERFINE=1

MU_VER="" NOTMUCH_VER="" NOTMUCH_OK=0
if command -v mu >/dev/null 2>&1; then MU_VER=$(mu --version 2>/dev/null | sed -n '1s/.*version //p' || true); fi
if command -v notmuch >/dev/null 2>&1; then
  NOTMUCH_VER=$(notmuch --version 2>/dev/null | awk '{ print $2 }' || true)
  # 0.32+ takes a database path outside mail_root, so nothing is written into the dump.
  if awk -v v="$NOTMUCH_VER" 'BEGIN { split(v, a, "."); exit !(a[1] > 0 || a[2] >= 32) }'; then NOTMUCH_OK=1; fi
fi
log "tools: mu ${MU_VER:-not available}; notmuch ${NOTMUCH_VER:-not available}; hyperfine $( ((HAVE_HYPERFINE)) && hyperfine --version | awk '{ print $2 }' || echo 'not available'); GNU time $([[ -n $GNU_TIME ]] && echo yes || echo no)"

# -------------------------------------------------------- 2. the builds ----
TRAWL="" TRAWL_NOTE="" SYNTH_BIN="" SYNTH_NOTE=""
TARGET_DIR=""
if command -v cargo >/dev/null 2>&1; then
  meta=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps 2>/dev/null || true)
  TARGET_DIR=$(json_get "$meta" target_directory)
  [[ -n $TARGET_DIR ]] || TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
fi
if [[ -n $TRAWL_BIN_OPT ]]; then
  if [[ -x $TRAWL_BIN_OPT ]]; then TRAWL=$TRAWL_BIN_OPT; log "trawl: using $TRAWL (--trawl-bin, not rebuilt)"
  else TRAWL_NOTE="--trawl-bin $TRAWL_BIN_OPT is not an executable"; fi
elif [[ -z $TARGET_DIR ]]; then
  TRAWL_NOTE="no cargo on this machine"
else
  log "building trawl: cargo build --release --locked (target dir $TARGET_DIR, log: $LOGS/build-trawl.log)"
  if (cd "$REPO" && cargo build --release --locked) >"$LOGS/build-trawl.log" 2>&1; then
    TRAWL=$TARGET_DIR/release/trawl
  else
    TRAWL_NOTE="the release build failed ($(grep -m1 -E '^error' "$LOGS/build-trawl.log" | cut -c1-120 || true))"
    warn "trawl: $TRAWL_NOTE"
  fi
fi
if [[ -z $SYNTH_DUMP_OPT ]]; then
  if [[ -z $TARGET_DIR ]]; then
    SYNTH_NOTE="no cargo on this machine"
  elif ! compgen -G "$REPO/examples/synth_dump*" >/dev/null; then
    SYNTH_NOTE="the generator example examples/synth_dump does not exist in this checkout"
    warn "$SYNTH_NOTE"
  else
    log "building the generator: cargo build --release --locked --example synth_dump"
    if (cd "$REPO" && cargo build --release --locked --example synth_dump) >"$LOGS/build-synth.log" 2>&1; then
      SYNTH_BIN=$TARGET_DIR/release/examples/synth_dump
    else
      SYNTH_NOTE="building the generator example failed ($(grep -m1 -E '^error' "$LOGS/build-synth.log" | cut -c1-120 || true))"
      warn "$SYNTH_NOTE"
    fi
  fi
fi

# Which of trawl's benchmark subcommands this build has: clap prints
# "Usage: <bin> <sub> …" only for a subcommand it knows (for an unknown word
# it prints the top-level help, "Usage: <bin> [DUMP]").
has_sub() { local h; h=$("$TRAWL" "$1" --help 2>/dev/null || true); grep -qE "^Usage: [^ ]+ $1( |\$)" <<<"$h"; }
sub_has_json() { local h; h=$("$TRAWL" "$1" --help 2>/dev/null || true); grep -qE '^ +--json\b' <<<"$h"; }
TRAWL_VER="" TRAWL_INDEX=0 TRAWL_UI=0 UI_JSON_FLAG=(--json)
if [[ -n $TRAWL ]]; then
  TRAWL_VER=$("$TRAWL" --version 2>/dev/null | sed -n 1p || true)
  if has_sub index; then TRAWL_INDEX=1; else
    TRAWL_NOTE="this build has no \`trawl index\` subcommand yet"; warn "trawl: $TRAWL_NOTE"; fi
  if has_sub bench-ui; then
    TRAWL_UI=1
    # It prints JSON in any case; pass --json only to a build that takes it.
    sub_has_json bench-ui || UI_JSON_FLAG=()
  else
    warn "trawl: this build has no \`trawl bench-ui\` subcommand yet"; fi
fi
TRAWL_UI_NOTE="this build has no \`trawl bench-ui\` subcommand yet"
[[ -n $TRAWL ]] || TRAWL_UI_NOTE=$TRAWL_NOTE

# The search measurements (issue 4) live in their own file.
# shellcheck source=benches/search.sh
source "$REPO/benches/search.sh"
# shellcheck source=benches/documents.sh
source "$REPO/benches/documents.sh"

# ------------------------------------------------------- 3. the data sets --
# Enron: the CMU layout (user/inbox[/sub]/N) copied once into a real Maildir
# (user/inbox[.sub]/cur/N:2,S with empty new/ and tmp/). The copy, not the
# read-only corpus, is what all three tools read.
cat >"$STATE/enron_view.pl" <<'PERL'
use strict; use warnings; use File::Find; use File::Copy qw(copy); use File::Path qw(make_path);
my ($src, $dst) = @ARGV; my %made; my $n = 0;
find({ no_chdir => 1, wanted => sub {
  return unless -f $_ && !-l $_;
  my @p = split m{/}, substr($File::Find::name, length($src) + 1);
  return if @p < 3;                       # user/folder[/sub]/N
  my $name = pop @p; my $user = shift @p; my $folder = join('.', @p);
  my $d = "$dst/$user/$folder";
  make_path("$d/cur", "$d/new", "$d/tmp") unless $made{$d}++;
  copy($_, "$d/cur/$name:2,S") or die "copy $_: $!\n";
  $n++;
} }, $src);
print "$n\n";
PERL

# Synthetic: mu reads only Maildirs and notmuch one message per file, so
# neither reads mbox files. The variant keeps the Maildir part as it is
# (hard links), moves loose message files into Maildir folders and splits
# each mbox into one file per message, with trawl's separator rule (a
# "From <sender> … <time> … <year>" line at the file start or after a blank
# line, which belongs to the separator) and mboxrd ">From " unquoting.
cat >"$STATE/maildir_variant.pl" <<'PERL'
use strict; use warnings; use File::Find; use File::Copy qw(copy); use File::Path qw(make_path);
my ($src, $dst, $mode) = @ARGV;   # mode: link (our own generated dump) or copy
my %c = (maildir => 0, mbox_files => 0, mbox_messages => 0, loose => 0, skipped => 0, bytes => 0);
my %made;
sub folder { my $d = shift; make_path("$d/cur", "$d/new", "$d/tmp") unless $made{$d}++; }
sub place { my ($f, $t) = @_; ($mode eq 'link' && link($f, $t)) or copy($f, $t) or die "$f -> $t: $!\n"; $c{bytes} += -s $t; }
sub flat { my $p = shift; $p =~ s{/}{__}g; return $p eq '' ? 'top' : $p; }
sub is_sep {
  my $l = shift;
  return 0 unless substr($l, 0, 5) eq 'From ' && length($l) <= 1000;
  my @w = split ' ', substr($l, 5); return 0 unless @w; shift @w;
  my ($t, $y) = (0, 0);
  for (@w) { $t = 1 if length($_) >= 4 && /^[0-9:]+$/ && /:/; $y = 1 if /^[0-9]{4}$/; }
  return $t && $y;
}
sub split_mbox {
  my ($fh, $first, $dir) = @_;
  folder($dir); $c{mbox_files}++;
  my ($out, $k, $pending, $at_start, $path) = (undef, 0, undef, 1, '');
  my $close = sub { if ($out) { close $out; $c{bytes} += -s $path; } };
  my $line = $first;
  while (defined $line) {
    (my $bare = $line) =~ s/\r?\n\z//;
    if ($bare eq '') {
      print $out $pending if defined $pending && $out;
      $pending = $line; $at_start = 0;
    } elsif (($at_start || defined $pending) && is_sep($bare)) {
      $close->(); $k++; $c{mbox_messages}++;
      $path = "$dir/cur/$k:2,S";
      open($out, '>:raw', $path) or die "$path: $!\n";
      ($pending, $at_start) = (undef, 0);
    } else {
      print $out $pending if defined $pending && $out;
      ($pending, $at_start) = (undef, 0);
      if ($out) { $line =~ s/^>(>*From )/$1/; print $out $line; }
    }
    $line = <$fh>;
  }
  print $out $pending if defined $pending && $out;
  $close->();
}
find({ no_chdir => 1, wanted => sub {
  return unless -f $_ && !-l $_;
  my $rel = $File::Find::name; $rel =~ s{^\Q$src\E/?}{};
  my ($dir, $name) = $rel =~ m{^(?:(.*)/)?([^/]+)$}; $dir //= '';
  my ($up, $leaf) = $dir =~ m{^(?:(.*)/)?([^/]+)$} ? ($1 // '', $2) : ('', '');
  if ($leaf eq 'cur' || $leaf eq 'new') {            # already a Maildir message
    folder($up eq '' ? $dst : "$dst/$up");
    place($_, "$dst/$rel"); $c{maildir}++; return;
  }
  if ($leaf eq 'tmp') { $c{skipped}++; return; }     # never delivered
  open(my $fh, '<:raw', $_) or die "$_: $!\n";
  my $first = <$fh>;
  if (defined $first) {
    (my $bare = $first) =~ s/\r?\n\z//;
    if (is_sep($bare)) { split_mbox($fh, $first, "$dst/_converted/mbox/" . flat($rel)); return; }
  }
  my $head = $first // ''; $head .= <$fh> // '' for 1 .. 3; close $fh;
  $head =~ s/^\s+//;
  if ($name =~ /\.eml$/i || $head =~ /^[\x21-\x39\x3b-\x7e]+:/) {
    my $d = "$dst/_converted/loose/" . flat($dir); folder($d);
    place($_, "$d/cur/$name:2,S"); $c{loose}++; return;
  }
  $c{skipped}++;                                     # attachments and other documents
} }, $src);
print join(' ', map { "$_=$c{$_}" } sort keys %c), "\n";
PERL

ENRON_VIEW=$DATA/enron-20k-maildir
ENRON_NOTE=""
prepare_enron() {
  if [[ ! -d $ENRON_SRC ]]; then ENRON_NOTE="the corpus $ENRON_SRC is not there"; return 1; fi
  local stamp=$DATA/enron-20k-maildir.stamp want
  want="source=$ENRON_SRC files=$(file_count "$ENRON_SRC") bytes=$(data_bytes "$ENRON_SRC") layout=user/folder/cur/N:2,S copy=1"
  if [[ -d $ENRON_VIEW && -f $stamp ]] && [[ $(sed -n 1p "$stamp") == "$want" ]] &&
    [[ $(sed -n 2p "$stamp") == "$(fingerprint "$ENRON_VIEW")" ]]; then
    log "Enron: reusing the Maildir view $ENRON_VIEW"
    return 0
  fi
  log "Enron: building a real-Maildir copy of $ENRON_SRC in $ENRON_VIEW"
  rm -rf -- "$ENRON_VIEW" "$stamp"
  perl "$STATE/enron_view.pl" "$ENRON_SRC" "$ENRON_VIEW.tmp" >"$LOGS/enron-view.log" 2>&1 || {
    ENRON_NOTE="building the Maildir view failed (see $LOGS/enron-view.log)"; rm -rf -- "$ENRON_VIEW.tmp"; return 1; }
  mv -- "$ENRON_VIEW.tmp" "$ENRON_VIEW"
  printf '%s\n%s\n' "$want" "$(fingerprint "$ENRON_VIEW")" >"$stamp"
}

SYNTH_DUMP="" SYNTH_VARIANT="" SYNTH_SUMMARY="" SYNTH_VARIANT_COUNTS=""
prepare_synth() {
  if [[ -n $SYNTH_DUMP_OPT ]]; then
    SYNTH_DUMP=$SYNTH_DUMP_OPT
    log "synthetic: using the existing dump $SYNTH_DUMP (--synth-dump)"
  else
    [[ -n $SYNTH_BIN ]] || return 1
    local name=synth-$SYNTH_N-s$SEED gen want
    gen=$(find "$REPO"/examples "$REPO"/src/synth -name '*.rs' \( -path '*/synth/*' -o -name 'synth_dump*' \) -print0 2>/dev/null |
      sort -z | xargs -0 cat | md5sum | cut -c1-32 || true)
    want="messages=$SYNTH_N seed=$SEED generator-source=$gen"
    SYNTH_DUMP=$DATA/$name
    if [[ -d $SYNTH_DUMP && -f $DATA/$name.stamp ]] && [[ $(sed -n 1p "$DATA/$name.stamp") == "$want" ]]; then
      log "synthetic: reusing $SYNTH_DUMP ($want)"
    else
      log "synthetic: generating $SYNTH_N messages (seed $SEED) into $SYNTH_DUMP"
      rm -rf -- "$SYNTH_DUMP" "$SYNTH_DUMP.tmp" "$DATA/$name.stamp" "$DATA/$name-maildir" "$DATA/$name-maildir.stamp"
      local rc=0
      "$SYNTH_BIN" "$SYNTH_DUMP.tmp" --messages "$SYNTH_N" --seed "$SEED" >"$LOGS/synth.out" 2>"$LOGS/synth.err" || rc=$?
      if ((rc != 0)) && [[ ! -e $SYNTH_DUMP.tmp ]]; then # a generator that wants its folder to exist
        rc=0; mkdir -p "$SYNTH_DUMP.tmp"
        "$SYNTH_BIN" "$SYNTH_DUMP.tmp" --messages "$SYNTH_N" --seed "$SEED" >"$LOGS/synth.out" 2>"$LOGS/synth.err" || rc=$?
      fi
      if ((rc != 0)) || [[ ! -d $SYNTH_DUMP.tmp ]]; then
        SYNTH_NOTE="the generator failed (exit $rc; see $LOGS/synth.err)"; rm -rf -- "$SYNTH_DUMP.tmp"; return 1
      fi
      mv -- "$SYNTH_DUMP.tmp" "$SYNTH_DUMP"
      printf '%s\n%s\n' "$want" "$(last_json_line "$LOGS/synth.out")" >"$DATA/$name.stamp"
    fi
    SYNTH_SUMMARY=$(sed -n 2p "$DATA/$name.stamp")
  fi
  local vstamp want_v
  SYNTH_VARIANT=$DATA/$(basename "$SYNTH_DUMP")-maildir
  [[ -n $SYNTH_DUMP_OPT ]] && SYNTH_VARIANT=$DATA/custom-$(basename "$SYNTH_DUMP")-maildir
  vstamp=$SYNTH_VARIANT.stamp
  want_v="from=$SYNTH_DUMP fingerprint=$(fingerprint "$SYNTH_DUMP") builder=2"
  if [[ -d $SYNTH_VARIANT && -f $vstamp ]] && [[ $(sed -n 1p "$vstamp") == "$want_v" ]] &&
    [[ $(sed -n 3p "$vstamp") == "$(fingerprint "$SYNTH_VARIANT")" ]]; then
    log "synthetic: reusing the pure-Maildir variant $SYNTH_VARIANT"
  else
    log "synthetic: building the pure-Maildir variant $SYNTH_VARIANT (mbox split, loose files moved into Maildir folders)"
    rm -rf -- "$SYNTH_VARIANT" "$SYNTH_VARIANT.tmp" "$vstamp"
    # Hard links only into a dump this script generated; a given dump is only read.
    local mode=link; [[ -n $SYNTH_DUMP_OPT ]] && mode=copy
    if ! perl "$STATE/maildir_variant.pl" "$SYNTH_DUMP" "$SYNTH_VARIANT.tmp" "$mode" >"$LOGS/variant.out" 2>"$LOGS/variant.err"; then
      SYNTH_NOTE="building the Maildir variant failed (see $LOGS/variant.err)"; rm -rf -- "$SYNTH_VARIANT.tmp"; return 1
    fi
    mv -- "$SYNTH_VARIANT.tmp" "$SYNTH_VARIANT"
    printf '%s\n%s\n%s\n' "$want_v" "$(tail -n1 "$LOGS/variant.out")" "$(fingerprint "$SYNTH_VARIANT")" >"$vstamp"
  fi
  SYNTH_VARIANT_COUNTS=$(sed -n 2p "$vstamp")
}

ENRON_OK=0 SYNTH_OK=0
prepare_enron && ENRON_OK=1 || warn "Enron: $ENRON_NOTE"
prepare_synth && SYNTH_OK=1 || warn "synthetic data set not available: $SYNTH_NOTE"

# ---------------------------------------------------- 4. the measurements --
# measure PREFIX CMD…: one run after `sync`; wall time from the clock, peak
# RSS from GNU time. Sets M_RC, M_WALL (s), M_RSS_KB, M_LOAD (1-min load
# average just before the run).
measure() {
  local pre=$1 t0 t1; shift
  sync
  rm -f -- "$pre.rss"
  M_LOAD=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%N)
  if [[ -n $GNU_TIME ]]; then
    if "$GNU_TIME" -f '%M' -o "$pre.rss" "$@" >"$pre.out" 2>"$pre.err"; then M_RC=0; else M_RC=$?; fi
  else
    if "$@" >"$pre.out" 2>"$pre.err"; then M_RC=0; else M_RC=$?; fi
  fi
  t1=$(date +%s%N)
  M_WALL=$(calc "sprintf(\"%.3f\", ($t1 - $t0) / 1e9)")
  M_RSS_KB=""
  [[ -s $pre.rss ]] && M_RSS_KB=$(tail -n1 "$pre.rss" | tr -dc 0-9)
  return 0
}

# repeat PREFIX CMD…: hyperfine (1 warm-up + RUNS timed runs) or, without
# it, the same by hand. Sets H_RC, H_MEAN, H_SD, H_MIN (s).
repeat() {
  local pre=$1; shift
  H_RC=0 H_MEAN="" H_SD="" H_MIN=""
  sync
  if ((HAVE_HYPERFINE)); then
    if hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$pre.json" "$(shq "$@")" >"$pre.log" 2>&1; then
      if command -v jq >/dev/null 2>&1; then
        H_MEAN=$(jq -r '.results[0].mean' "$pre.json") H_SD=$(jq -r '.results[0].stddev' "$pre.json")
        H_MIN=$(jq -r '.results[0].min' "$pre.json")
      else
        H_MEAN=$(grep -m1 '"mean"' "$pre.json" | tr -dc '0-9.eE-') H_SD=$(grep -m1 '"stddev"' "$pre.json" | tr -dc '0-9.eE-')
        H_MIN=$(grep -m1 '"min"' "$pre.json" | tr -dc '0-9.eE-')
      fi
    else
      H_RC=1
    fi
  else
    local i t0 t1 times=()
    for ((i = 0; i <= RUNS; i++)); do
      t0=$(date +%s%N)
      "$@" >>"$pre.log" 2>&1 || { H_RC=1; return 0; }
      t1=$(date +%s%N)
      if ((i > 0)); then times+=("$(calc "($t1 - $t0) / 1e9")"); fi
    done
    read -r H_MEAN H_SD H_MIN < <(printf '%s\n' "${times[@]}" | awk '{ s += $1; q += $1 * $1; if (NR == 1 || $1 < m) m = $1 }
      END { mu = s / NR; v = NR > 1 ? (q - NR * mu * mu) / (NR - 1) : 0; printf "%.6f %.6f %.6f\n", mu, (v > 0 ? sqrt(v) : 0), m }')
  fi
  return 0
}

# A tool's index is measured, then deleted at once (not at exit), so the
# full run never holds all indexes on disk together.
drop_state() { ((KEEP_STATE)) || rm -rf -- "$1"; }

fail_note() { # fail_note PREFIX RC — one line for the report
  local err
  err=$(grep -v '^Command exited with' "$1.err" 2>/dev/null | tail -n1 | cut -c1-100 | tr '|' '/' || true)
  printf 'failed (exit %s%s)' "$2" "${err:+: $err}"
}

# K = "DATASET.ROW"; each row records tool, folder, bytes, status, figures.
row_init() { # row_init K TOOL FOLDER
  R[$1.tool]=$2 R[$1.folder]=$3 R[$1.data_bytes]=$(data_bytes "$3")
}

bench_trawl() { # bench_trawl K DUMP [noui] — noui: skip bench-ui (a row without a targets section)
  local k=$1 dump=$2 ui=${3:-ui} pre=$LOGS/${1//./-} st line
  if [[ -z $TRAWL || $TRAWL_INDEX == 0 ]]; then
    R[$k.status]="not available: ${TRAWL_NOTE:-no trawl}"; log "  trawl: ${R[$k.status]}"
    R[$k.ui_status]="not available: $TRAWL_UI_NOTE"; return 0
  fi
  st=$(mktemp -d "$STATE/trawl.XXXX")
  warm_cache "$dump"
  log "  trawl index (fresh TRAWL_DATA_DIR)"
  measure "$pre.index" env TRAWL_DATA_DIR="$st" "$TRAWL" index "$dump" --json
  line=$(last_json_line "$pre.index.out")
  if ((M_RC != 0)) || [[ -z $line ]]; then
    R[$k.status]=$(fail_note "$pre.index" "$M_RC"); ((M_RC != 0)) || R[$k.status]="no JSON line on stdout"
    log "  trawl: ${R[$k.status]}"; R[$k.ui_status]="not run: indexing failed"; return 0
  fi
  R[$k.status]=ok R[$k.wall]=$M_WALL R[$k.rss_kb]=$M_RSS_KB R[$k.load]=$M_LOAD R[$k.index_bytes]=$(dir_bytes "$st")
  R[$k.msgs]=$(json_get "$line" messages) R[$k.json]=$line
  local key; for key in documents files bytes seconds catalog_bytes save_error; do R[$k.$key]=$(json_get "$line" "$key"); done
  log "  trawl: $(get "$k.msgs") messages in $M_WALL s, peak RSS $(fmt "$(mib "$M_RSS_KB")" 0) MiB"

  if [[ $ui == noui ]]; then
    R[$k.ui_status]="not run for this row"
  elif ((TRAWL_UI)); then
    log "  trawl bench-ui (re-open the indexed project)"
    warm_cache "$dump"
    measure "$pre.ui" env TRAWL_DATA_DIR="$st" "$TRAWL" bench-ui "$dump" "${UI_JSON_FLAG[@]}"
    line=$(last_json_line "$pre.ui.out")
    if ((M_RC == 0)) && [[ -n $line ]]; then
      R[$k.ui_status]=ok R[$k.ui_rss_kb]=$M_RSS_KB R[$k.ui_wall]=$M_WALL R[$k.ui_json]=$line
      for key in open_ms first_frame_ms move_us_p50 move_us_p95 fold_us_p50 fold_us_p95 page_us_p50 page_us_p95 jump_us_p50 jump_us_p95 peak_rss_mb rss_mb; do
        R[$k.$key]=$(json_get "$line" "$key")
      done
      log "  bench-ui: first frame $(fmt "$(get "$k.first_frame_ms")" 0) ms, move p95 $(fmt "$(get "$k.move_us_p95")" 0) µs, peak RSS $(fmt "$(mib "$M_RSS_KB")" 0) MiB"
    else
      R[$k.ui_status]=$(fail_note "$pre.ui" "$M_RC"); log "  bench-ui: ${R[$k.ui_status]}"
    fi
  else
    R[$k.ui_status]="not available: $TRAWL_UI_NOTE"
  fi

  log "  trawl index again on the unchanged dump ($RUNS runs)"
  repeat "$pre.reindex" env TRAWL_DATA_DIR="$st" "$TRAWL" index "$dump" --json
  if ((H_RC == 0)); then R[$k.re_mean]=$H_MEAN R[$k.re_sd]=$H_SD R[$k.re_min]=$H_MIN; else R[$k.re_status]=failed; fi
  drop_state "$st"
}

bench_mu() { # bench_mu K MAILDIR
  local k=$1 dir=$2 pre=$LOGS/${1//./-} h n
  if [[ -z $MU_VER ]]; then R[$k.status]="not available (mu is not installed)"; log "  mu: ${R[$k.status]}"; return 0; fi
  h=$(mktemp -d "$STATE/mu.XXXX")
  if ! mu init --maildir="$dir" --muhome="$h" >"$pre.init.log" 2>&1; then
    R[$k.status]="failed: mu init (see $pre.init.log)"; log "  mu: ${R[$k.status]}"; return 0
  fi
  warm_cache "$dir"
  log "  mu index (fresh --muhome)"
  measure "$pre.index" mu index --muhome="$h"
  if ((M_RC != 0)); then R[$k.status]=$(fail_note "$pre.index" "$M_RC"); log "  mu: ${R[$k.status]}"; return 0; fi
  n=$(mu info store --muhome="$h" 2>/dev/null | sed -n 's/.*messages in store[^0-9]*\([0-9][0-9]*\).*/\1/p' | head -n1 || true)
  [[ -n $n ]] || n=$(mu find '' --muhome="$h" --fields=l 2>/dev/null | wc -l | tr -d ' ' || true)
  R[$k.status]=ok R[$k.wall]=$M_WALL R[$k.rss_kb]=$M_RSS_KB R[$k.load]=$M_LOAD R[$k.msgs]=$n R[$k.index_bytes]=$(dir_bytes "$h")
  log "  mu: $n messages in $M_WALL s, peak RSS $(fmt "$(mib "$M_RSS_KB")" 0) MiB"
  log "  mu index again on the unchanged Maildir ($RUNS runs)"
  repeat "$pre.reindex" mu index --muhome="$h"
  if ((H_RC == 0)); then R[$k.re_mean]=$H_MEAN R[$k.re_sd]=$H_SD R[$k.re_min]=$H_MIN; else R[$k.re_status]=failed; fi
  # Kept for the search comparison when asked (dropped after it).
  if ((KEEP_FOR_QUERIES)); then R[$k.state]=$h; else drop_state "$h"; fi
}

bench_notmuch() { # bench_notmuch K MAILDIR
  local k=$1 dir=$2 pre=$LOGS/${1//./-} h n
  if [[ -z $NOTMUCH_VER ]]; then R[$k.status]="not available (notmuch is not installed)"; log "  notmuch: ${R[$k.status]}"; return 0; fi
  if ((!NOTMUCH_OK)); then
    R[$k.status]="not available (notmuch $NOTMUCH_VER < 0.32 would write its database into the dump)"; log "  notmuch: ${R[$k.status]}"; return 0
  fi
  h=$(mktemp -d "$STATE/notmuch.XXXX")
  mkdir -p "$h/db" "$h/hooks"
  cat >"$h/config" <<EOF
[database]
mail_root=$dir
path=$h/db
hook_dir=$h/hooks
[user]
name=Benchmark
primary_email=bench@example.invalid
[new]
tags=unread;inbox;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
EOF
  warm_cache "$dir"
  log "  notmuch new (fresh NOTMUCH_CONFIG, database outside the dump)"
  measure "$pre.index" env NOTMUCH_CONFIG="$h/config" notmuch new
  if ((M_RC != 0)); then R[$k.status]=$(fail_note "$pre.index" "$M_RC"); log "  notmuch: ${R[$k.status]}"; return 0; fi
  n=$(NOTMUCH_CONFIG="$h/config" notmuch count '*' 2>/dev/null || true)
  R[$k.files]=$(NOTMUCH_CONFIG="$h/config" notmuch count --output=files '*' 2>/dev/null || true)
  R[$k.status]=ok R[$k.wall]=$M_WALL R[$k.rss_kb]=$M_RSS_KB R[$k.load]=$M_LOAD R[$k.msgs]=$n R[$k.index_bytes]=$(dir_bytes "$h/db")
  log "  notmuch: $n messages in $M_WALL s, peak RSS $(fmt "$(mib "$M_RSS_KB")" 0) MiB"
  log "  notmuch new again on the unchanged Maildir ($RUNS runs)"
  repeat "$pre.reindex" env NOTMUCH_CONFIG="$h/config" notmuch new
  if ((H_RC == 0)); then R[$k.re_mean]=$H_MEAN R[$k.re_sd]=$H_SD R[$k.re_min]=$H_MIN; else R[$k.re_status]=failed; fi
  if ((KEEP_FOR_QUERIES)); then R[$k.state]=$h/config; else drop_state "$h"; fi
}

# Each data set: fingerprint (paths, sizes, mtimes) before and after all
# tools, to show that none of them wrote into the folder it was given.
check_untouched() { # check_untouched DS FOLDER BEFORE
  local after; after=$(fingerprint "$2")
  if [[ $after == "$3" ]]; then R[$1.untouched]="yes"; else R[$1.untouched]="NO — $2 changed during the run"; warn "${R[$1.untouched]}"; fi
}

mem_check() { # warn when a data set may not stay in the page cache
  if awk -v b="$1" '/MemAvailable/ { exit !(b * 2 > $2 * 1024) }' /proc/meminfo; then
    warn "the data set ($(fmt "$(mb "$1")" 0) MB) is over half of the available memory; caches may not stay warm"
  fi
}

if ((ENRON_OK)); then
  log "== Enron 20k: $ENRON_VIEW"
  row_init enron.trawl trawl "$ENRON_VIEW"
  row_init enron.mu mu "$ENRON_VIEW"
  row_init enron.notmuch notmuch "$ENRON_VIEW"
  R[enron.expected]=$ENRON_EXPECTED
  mem_check "$(get enron.trawl.data_bytes)"
  before=$(fingerprint "$ENRON_VIEW")
  bench_trawl enron.trawl "$ENRON_VIEW"
  KEEP_FOR_QUERIES=1
  bench_mu enron.mu "$ENRON_VIEW"
  bench_notmuch enron.notmuch "$ENRON_VIEW"
  KEEP_FOR_QUERIES=0
  log "-- search: trawl with its full-text index, then the same queries in all three"
  row_init enron.text trawl "$ENRON_VIEW"
  bench_text enron.text "$ENRON_VIEW"
  bench_queries enron "$ENRON_VIEW"
  for st in "$(get enron.text.state)" "$(get enron.mu.state)" "$(dirname "$(get enron.notmuch.state)")"; do
    [[ -n $st && $st != . ]] && drop_state "$st"
  done
  check_untouched enron "$ENRON_VIEW" "$before"
fi

if ((SYNTH_OK)); then
  log "== synthetic $SYNTH_N: $SYNTH_DUMP (mixed) and $SYNTH_VARIANT (pure Maildir)"
  row_init synth.trawl_mixed trawl "$SYNTH_DUMP"
  row_init synth.trawl trawl "$SYNTH_VARIANT"
  row_init synth.mu mu "$SYNTH_VARIANT"
  row_init synth.notmuch notmuch "$SYNTH_VARIANT"
  vc=$SYNTH_VARIANT_COUNTS
  R[synth.variant_expected]=$(calc "$(sed -n 's/.*maildir=\([0-9]*\).*/\1/p' <<<"$vc") + $(sed -n 's/.*mbox_messages=\([0-9]*\).*/\1/p' <<<"$vc") + $(sed -n 's/.*loose=\([0-9]*\).*/\1/p' <<<"$vc")")
  R[synth.mixed_expected]=$SYNTH_N
  # notmuch keeps one message per Message-ID; the generator writes byte-identical
  # copies and re-used ids on purpose and says how many.
  R[synth.notmuch_expected]=${R[synth.variant_expected]}
  dup=$(json_get "$SYNTH_SUMMARY" duplicates) reused=$(json_get "$SYNTH_SUMMARY" reused_ids)
  if num "$dup" && num "$reused"; then R[synth.notmuch_expected]=$(calc "${R[synth.variant_expected]} - $dup - $reused"); fi
  [[ -n $SYNTH_DUMP_OPT ]] && R[synth.mixed_expected]=${R[synth.variant_expected]}
  mem_check "$(calc "$(get synth.trawl_mixed.data_bytes) + $(get synth.trawl.data_bytes)")"
  before_mixed=$(fingerprint "$SYNTH_DUMP")
  before=$(fingerprint "$SYNTH_VARIANT")
  log "-- trawl on the mixed dump"
  bench_trawl synth.trawl_mixed "$SYNTH_DUMP"
  log "-- search: trawl with its full-text index on the mixed dump"
  row_init synth.text trawl "$SYNTH_DUMP"
  bench_text synth.text "$SYNTH_DUMP"
  bench_search_synth synth.text "$SYNTH_DUMP"
  [[ -n $(get synth.text.state) ]] && drop_state "$(get synth.text.state)"
  log "-- all three on the pure-Maildir variant"
  bench_trawl synth.trawl "$SYNTH_VARIANT" noui
  bench_mu synth.mu "$SYNTH_VARIANT"
  bench_notmuch synth.notmuch "$SYNTH_VARIANT"
  check_untouched synth "$SYNTH_VARIANT" "$before"
  check_untouched synth_mixed "$SYNTH_DUMP" "$before_mixed"
fi

log "== documents: extraction of a 20-page PDF and a 5 MB spreadsheet"
bench_documents documents
log "== documents: indexing a dump that is half office documents"
bench_office office

# ------------------------------------------------------------ 5. report ----
log "writing $OUT"
md=$STATE/report.md

cell_count() { # cell_count K EXPECTED
  local n files; n=$(get "$1.msgs") files=$(get "$1.files")
  if ! num "$n"; then printf '–'; return; fi
  if num "${2:-}" && [[ $n == "$2" ]]; then printf '%s ✓' "$(fmt "$n" 0)"
  elif num "${2:-}"; then printf '%s ✗ (expected %s)' "$(fmt "$n" 0)" "$(fmt "$2" 0)"
  else fmt "$n" 0; fi
  # notmuch counts distinct Message-IDs; say how many files it indexed when that differs.
  if [[ $(get "$1.tool") == notmuch ]] && num "$files" && [[ $files != "$n" ]]; then printf ' · %s files' "$(fmt "$files" 0)"; fi
}

table_row() { # table_row K LABEL EXPECTED
  local k=$1 label=$2 st wall n b idx
  st=$(get "$k.status")
  if [[ $st != ok ]]; then
    printf '| %s | %s | | | | | | |\n' "$label" "${st:-not run}"
    return
  fi
  wall=$(get "$k.wall") n=$(get "$k.msgs") b=$(get "$k.data_bytes") idx=$(get "$k.index_bytes")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(cell_count "$k" "$3")" \
    "$(fmt "$wall" 2)" "$(fmt "$(calc "$n / $wall")" 0)" "$(fmt "$(calc "$b / 1000000 / $wall")" 1)" \
    "$(fmt "$(mib "$(get "$k.rss_kb")")" 0)" "$(fmt "$(mb "$idx")" 1)" "$(fmt "$(calc "100 * $idx / $b")" 0)"
}
load_note() { # load_note K LABEL [K LABEL …]: the load average before each first index
  local parts=() 
  while (($#)); do [[ -n $(get "$1.load") ]] && parts+=("$2 $(get "$1.load")"); shift 2; done
  ((${#parts[@]})) || return 0
  local IFS=';'
  echo
  echo "1-min load average just before each first index (2 cores; above ~1 means something else was running):${parts[*]/#/ }."
}
TABLE_HEAD='| tool | messages found | wall s | msg/s | MB/s | peak RSS MB | index size MB | index % of data |
|---|---:|---:|---:|---:|---:|---:|---:|'

reindex_row() { # reindex_row K LABEL
  local k=$1
  if [[ $(get "$k.status") != ok ]]; then printf '| %s | not run | |\n' "$2"; return; fi
  if [[ -n $(get "$k.re_status") ]]; then printf '| %s | failed | |\n' "$2"; return; fi
  printf '| %s | %s ± %s | %s |\n' "$2" "$(fmt "$(get "$k.re_mean")" 3)" "$(fmt "$(get "$k.re_sd")" 3)" "$(fmt "$(get "$k.re_min")" 3)"
}

# verdict VALUE OP FLOOR GOAL: OP is ge (higher is better) or le.
verdict() {
  local v=$1 op=$2 f=$3 g=$4
  num "$v" || { printf 'n/a'; return; }
  if [[ $op == ge ]]; then
    awk -v v="$v" -v f="$f" -v g="$g" 'BEGIN { if (v >= g) print "**met** (goal)"; else if (v >= f) print "**met** (floor; goal missed)"; else print "**missed**" }'
  else
    awk -v v="$v" -v f="$f" -v g="$g" 'BEGIN { if (v <= g) print "**met** (goal)"; else if (v <= f) print "**met** (floor; goal missed)"; else print "**missed**" }'
  fi
}
target_row() { # target_row FIGURE VALUE_TEXT VALUE OP FLOOR GOAL FLOOR_TEXT GOAL_TEXT
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$7" "$8" "$(verdict "$3" "$4" "$5" "$6")"
}

trawl_section() { # trawl_section K DATA_SET_LABEL
  local k=$1 label=$2 v cat_bytes cat_src
  echo
  echo "#### trawl on $label"
  echo
  if [[ $(get "$k.status") != ok ]]; then
    echo "trawl index: $(get "$k.status"). bench-ui: $(get "$k.ui_status")."
    echo
    echo "| figure | value | floor | goal | target |"
    echo "|---|---:|---:|---:|---|"
    for v in "catalog throughput (msg/s)|≥ 20,000|≥ 50,000" "re-open to first frame|≤ 1 s|≤ 300 ms" \
      "keystroke p95 (move / fold / page)|≤ 4 ms|≤ 1 ms" "peak RSS while browsing|≤ 300 MB|≤ 150 MB" \
      "peak RSS while indexing|≤ 400 MB|≤ 250 MB" "catalog size, % of dump|≤ 35 %|≤ 15 %"; do
      IFS='|' read -r a b c <<<"$v"; printf '| %s | not measured | %s | %s | n/a |\n' "$a" "$b" "$c"
    done
    return
  fi
  echo "\`trawl index --json\` printed: \`$(get "$k.json")\`"
  v=$(get "$k.save_error")
  [[ -n $v && $v != null ]] && echo "**Warning:** trawl reported a save error, so the re-open figures may not reflect a saved catalog: $v"
  if [[ $(get "$k.ui_status") == ok ]]; then
    echo "\`trawl bench-ui${UI_JSON_FLAG[*]:+ ${UI_JSON_FLAG[*]}}\` printed: \`$(get "$k.ui_json")\`"
  else
    echo "\`trawl bench-ui\`: $(get "$k.ui_status")."
  fi
  echo
  echo "| figure | value | floor | goal | target |"
  echo "|---|---:|---:|---:|---|"
  v=$(calc "$(get "$k.msgs") / $(get "$k.wall")")
  target_row "catalog throughput (msg/s, wall)" "$(fmt "$v" 0)" "$v" ge 20000 50000 "≥ 20,000" "≥ 50,000"
  v=$(get "$k.seconds")
  num "$v" && printf '| catalog throughput (msg/s, trawl'"'"'s own `seconds`, without process start and exit) | %s | | | no target |\n' "$(fmt "$(calc "$(get "$k.msgs") / $v")" 0)"
  v=$(get "$k.re_mean")
  printf '| re-index of the unchanged dump (s, mean of %s) | %s | | | no target |\n' "$RUNS" "$(fmt "$v" 3)"
  v=$(get "$k.first_frame_ms")
  target_row "cold re-open to first frame (ms)" "$(fmt "$v" 1)" "$v" le 1000 300 "≤ 1,000" "≤ 300"
  local what p50 p95
  for what in move fold page jump; do
    [[ $what == jump && -z $(get "$k.jump_us_p95") ]] && continue
    p50=$(get "$k.${what}_us_p50") p95=$(get "$k.${what}_us_p95")
    target_row "keystroke: $what p50 / p95 (µs)" "$(fmt "$p50" 0) / $(fmt "$p95" 0)" "$p95" le 4000 1000 "p95 ≤ 4,000" "p95 ≤ 1,000"
  done
  v=$(mib "$(get "$k.ui_rss_kb")")
  target_row "peak RSS while browsing (MB, bench-ui process)" "$(fmt "$v" 0)" "$v" le 300 150 "≤ 300" "≤ 150"
  v=$(mib "$(get "$k.rss_kb")")
  target_row "peak RSS while indexing (MB)" "$(fmt "$v" 0)" "$v" le 400 250 "≤ 400" "≤ 250"
  cat_bytes=$(get "$k.catalog_bytes") cat_src="catalog_bytes"
  num "$cat_bytes" || { cat_bytes=$(get "$k.index_bytes"); cat_src="du of TRAWL_DATA_DIR"; }
  v=$(calc "100 * $cat_bytes / $(get "$k.data_bytes")")
  target_row "catalog size, % of dump ($cat_src)" "$(fmt "$v" 1)" "$v" le 35 15 "≤ 35 %" "≤ 15 %"
}

versions() {
  printf -- '- trawl: %s\n' "${TRAWL_VER:-not available${TRAWL_NOTE:+ ($TRAWL_NOTE)}}"
  printf -- '- mu: %s\n' "${MU_VER:-not available}"
  printf -- '- notmuch: %s\n' "${NOTMUCH_VER:-not available}"
  printf -- '- Xapian (used by mu and notmuch): %s\n' "$(dpkg-query -W -f '${Version}' libxapian30 2>/dev/null || echo unknown)"
  printf -- '- hyperfine: %s\n' "$( ((HAVE_HYPERFINE)) && hyperfine --version | awk '{ print $2 }' || echo 'not available (timed loop in bash instead)')"
  printf -- '- GNU time: %s\n' "$([[ -n $GNU_TIME ]] && { dpkg-query -W -f '${Version}' time 2>/dev/null || echo yes; } || echo 'not available (no RSS figures)')"
  printf -- '- rustc: %s\n' "$(rustc --version 2>/dev/null || echo unknown)"
}

{
  echo "# Benchmarks: trawl, mu and notmuch on the same data"
  echo
  echo "Written by \`bash benches/run.sh$( ((QUICK)) && echo ' --quick')\` on $(date -u '+%Y-%m-%d %H:%M UTC') in $(( $(date +%s) - START_S )) s. Do not edit by hand: run the script again (see benches/README.md)."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores (nproc)"
  echo "- RAM: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- kernel: $(uname -sr); $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "- load average (1/5/15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg). Other work on the machine during the run (e.g. builds in other sessions) slows every tool and shows up here."
  echo "- data folder: $DATA ($(df -PT "$DATA" | awk 'NR == 2 { print $2 }') file system)"
  versions
  echo
  echo "## Method"
  echo
  echo "- **Same folder for every tool.** Within a table every tool reads the very same folder (named above the table), one tool after the other, never in parallel (2 cores)."
  echo "- **Warm page cache for everyone.** Before each tool's first run the script reads every file of the folder (\`find -type f -exec cat\`), and runs \`sync\` so no earlier tool's write-back is pending. Timings are therefore CPU and index-write bound, not disk-read bound."
  echo "- **Fresh private state.** Each tool starts from an empty state folder of its own outside the dump: \`TRAWL_DATA_DIR=<fresh>\` for trawl, \`--muhome=<fresh>\` for mu, a fresh \`NOTMUCH_CONFIG\` whose \`database.path\` lies outside \`database.mail_root\` for notmuch. Each is deleted once that tool's figures are taken. A fingerprint of the data folder (paths, sizes, mtimes) taken before and after shows that no tool wrote into it."
  echo "- **Single run** for the first index of each tool (identical method for all three): wall time from the clock around the process, peak RSS from GNU time (\`%M\`, the largest resident set of the process). No warm-up run is possible for a first index."
  echo "- **Repeated runs (hyperfine)** only where repeating makes sense: indexing the unchanged folder again with the state just built, 1 warm-up + $RUNS timed runs, mean ± standard deviation, for all three tools."
  echo "- Commands (timed part in bold):"
  echo "  - trawl: **\`TRAWL_DATA_DIR=S trawl index DUMP --json\`**; then \`TRAWL_DATA_DIR=S trawl bench-ui DUMP${UI_JSON_FLAG[*]:+ ${UI_JSON_FLAG[*]}}\` (hidden subcommand: opens the indexed project headless, draws the first frame, starts the same background check of the dump against the catalog that the TUI starts, replays keystrokes while it runs, and prints its own timings); then the re-index runs."
  echo "  - mu: \`mu init --maildir=DUMP --muhome=H\` (not timed, it only creates an empty store), then **\`mu index --muhome=H\`**; messages found = \"messages in store\" of \`mu info store\`."
  echo "  - notmuch: **\`NOTMUCH_CONFIG=C notmuch new\`** with \`new.tags=unread;inbox\` (the defaults), \`maildir.synchronize_flags=false\` (nothing may rename files in the dump); messages found = \`notmuch count '*'\`."
  echo "- Units: data and index sizes in MB = 10^6 bytes (apparent size: sum of file sizes for the data, \`du -sb\` for the index); RSS in MB = MiB (GNU time reports KiB). msg/s = messages found / wall s; MB/s = data MB / wall s; index % of data = index size / data size."
  echo "- Tools run with their default settings (Xapian flush thresholds, mu batch size …); none was tuned."
  echo
  echo "## Enron 20k"
  echo
  if ((ENRON_OK)); then
    echo "Data: \`../${ENRON_SRC#"${PARENT%/}/"}\` (CMU layout \`maildir/<user>/inbox[/<sub>]/<N>\`, not a real Maildir) copied once into a real Maildir, \`$ENRON_VIEW\`: \`<user>/inbox[.<sub>]/cur/<N>:2,S\` plus empty \`new/\` and \`tmp/\`. mu needs a real Maildir; trawl and notmuch read it just as well, so all three index this same folder: $(fmt "$(file_count "$ENRON_VIEW")" 0) files, $(fmt "$(mb "$(get enron.trawl.data_bytes)")" 1) MB. Expected: $(fmt $ENRON_EXPECTED 0) messages. Folder unchanged by the tools: $(get enron.untouched)."
    echo
    echo "$TABLE_HEAD"
    table_row enron.trawl trawl $ENRON_EXPECTED
    table_row enron.mu "mu $MU_VER" $ENRON_EXPECTED
    table_row enron.notmuch "notmuch $NOTMUCH_VER" $ENRON_EXPECTED
    load_note enron.trawl trawl enron.mu mu enron.notmuch notmuch
    echo
    echo "Index again, unchanged folder (s, mean ± sd of $RUNS runs after 1 warm-up):"
    echo
    echo "| tool | wall s | fastest s |"
    echo "|---|---:|---:|"
    reindex_row enron.trawl trawl
    reindex_row enron.mu mu
    reindex_row enron.notmuch notmuch
  else
    echo "Not run: $ENRON_NOTE."
  fi
  echo
  echo "## Synthetic $(fmt "$SYNTH_N" 0)$( ((QUICK)) && echo ' (--quick; the full run uses 500,000)')"
  echo
  if ((SYNTH_OK)); then
    if [[ -n $SYNTH_DUMP_OPT ]]; then
      echo "Data: an existing mixed dump given with \`--synth-dump\`: \`$SYNTH_DUMP\`."
    else
      echo "Data: \`synth_dump $SYNTH_DUMP --messages $SYNTH_N --seed $SEED\` (examples/synth_dump.rs; deterministic, reused while the generator's source is unchanged). Its summary: \`${SYNTH_SUMMARY:-none printed}\`."
    fi
    echo
    echo "The dump mixes a Maildir part, mbox files and loose \`.eml\` files. **mu and notmuch do not read mbox files** (mu indexes Maildirs only; notmuch indexes one message per file). So that all three tools are compared on the same messages and bytes, the script derives a **pure-Maildir variant**, \`$SYNTH_VARIANT\`: the Maildir part hard-linked unchanged, each loose message file hard-linked into a Maildir folder, each mbox split into one file per message (trawl's separator rule, mboxrd \`>From\` unquoting). Variant contents: \`$SYNTH_VARIANT_COUNTS\`. notmuch counts distinct Message-IDs (files that share one are one message to it), so its expected count is the messages minus the generator's \`duplicates\` and \`reused_ids\`; the others count files. The first table row is trawl on the original mixed dump (the real use; issue 3's targets below are judged on it); the other rows are the three tools on the variant. Folders unchanged by the tools: mixed $(get synth_mixed.untouched), variant $(get synth.untouched)."
    echo
    echo "$TABLE_HEAD"
    table_row synth.trawl_mixed "trawl, mixed dump ($(fmt "$(mb "$(get synth.trawl_mixed.data_bytes)")" 0) MB)" "$(get synth.mixed_expected)"
    table_row synth.trawl "trawl, Maildir variant" "$(get synth.variant_expected)"
    table_row synth.mu "mu $MU_VER, Maildir variant" "$(get synth.variant_expected)"
    table_row synth.notmuch "notmuch $NOTMUCH_VER, Maildir variant" "$(get synth.notmuch_expected)"
    load_note synth.trawl_mixed "trawl (mixed)" synth.trawl "trawl (variant)" synth.mu mu synth.notmuch notmuch
    echo
    echo "Index again, unchanged folder (s, mean ± sd of $RUNS runs after 1 warm-up):"
    echo
    echo "| tool | wall s | fastest s |"
    echo "|---|---:|---:|"
    reindex_row synth.trawl_mixed "trawl, mixed dump"
    reindex_row synth.trawl "trawl, Maildir variant"
    reindex_row synth.mu "mu, Maildir variant"
    reindex_row synth.notmuch "notmuch, Maildir variant"
  else
    echo "Not run: ${SYNTH_NOTE:-no generator}."
  fi
  echo
  echo "## trawl against issue 3's targets"
  echo
  echo "Floor = must, goal = aim. \"Re-open to first frame\" is bench-ui's \`first_frame_ms\` (a new process opening the project indexed just before, caches warm); keystroke figures are bench-ui's per-keystroke percentiles; RSS while browsing is the peak RSS of the whole bench-ui process (GNU time), background check included; its own \`rss_mb\` and the check's \`check_ms\` are in the JSON line."
  ((ENRON_OK)) && trawl_section enron.trawl "Enron 20k (Maildir view)"
  ((SYNTH_OK)) && trawl_section synth.trawl_mixed "synthetic $(fmt "$SYNTH_N" 0) (mixed dump)"
  ((ENRON_OK || SYNTH_OK)) || echo "No data set could be prepared."
  search_section
  documents_section documents
  office_section office
  echo
  echo "Logs of this run: \`$LOGS\`."
} >"$md"

mkdir -p "$(dirname "$OUT")"
cp -- "$md" "$OUT"
log "done in $(($(date +%s) - START_S)) s: $OUT"
