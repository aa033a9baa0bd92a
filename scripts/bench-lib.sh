# What scripts/bench-startup and scripts/bench-text share: the tools they install, the
# release build they time, hyperfine's median, and the section of BENCHMARKS.md each
# rewrites between its markers. Sourced, never run.

say() { printf '==> %s\n' "$*" >&2; }

# need_tools PACKAGE... : installs with apt-get those whose command is missing (the caller
# decides what is missing and passes the package names).
need_tools() {
    [ $# -gt 0 ] || return 0
    say "installing: $*"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update </dev/null
    "${sudo[@]}" apt-get install -y "$@" </dev/null
}

# release_build: the README's build (`cargo build --release`; build.rs links it non-PIE on
# Linux/glibc), which every build and `cargo install` gets; sets $oash to it.
release_build() {
    say "release build (the README's)"
    cargo build --release
    oash="$root/target/release/oash"
    [ -x "$oash" ] || { echo "$0: $oash was not built" >&2; exit 1; }
}

if command -v python3 >/dev/null 2>&1; then
    median() { python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*float(sys.argv[2])))' "$1" "$2"; }
elif command -v jq >/dev/null 2>&1; then
    median() { jq -r --arg s "$2" '.results[0].median * ($s|tonumber) * 100 | round / 100' "$1"; }
else
    echo "$0: need python3 or jq to read hyperfine's JSON" >&2
    exit 1
fi

# bench NAME SCALE [hyperfine options...] -- COMMAND
# Runs one command with hyperfine (its JSON in $tmp) and prints its median times SCALE
# (1000: milliseconds, 1: seconds).
bench() {
    local name=$1 scale=$2; shift 2
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    say "hyperfine: $name"
    hyperfine --style basic "${opts[@]}" \
        --command-name "$name" --export-json "$tmp/$name.json" "$1" >&2
    median "$tmp/$name.json" "$scale"
}

# instructions COMMAND...: how many instructions callgrind counts for the command (its own
# process; a program it execs is not followed).
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | awk '/Collected/ { n = $NF } END { print n }'
}

# ratio A B → A/B with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# verdict OURS THEIRS OP → met / **not met** (OP: le for <=, lt for <)
verdict() {
    awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN{ok=(op=="le")?(a<=b):(a<b); print ok?"met":"**not met**"}'
}

# machine: one line saying when, at which commit and on what the figures were measured.
machine() {
    local cpu
    cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*:[[:space:]]*//' || true)
    [ -n "$cpu" ] || cpu=unknown
    printf 'Measured %s at commit `%s` on %s CPU(s), %s, load average %s before the run;\n' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        "$(nproc)" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}

# write_section MARKER FILE: puts FILE between <!-- MARKER:begin --> and <!-- MARKER:end -->
# in BENCHMARKS.md (appending it the first time), then prints it.
write_section() {
    local marker=$1 section=$2 out=BENCHMARKS.md
    if [ ! -f "$out" ]; then
        printf '# Benchmarks\n\nTimings of oash against other shells. Each section is rewritten by the script it names.\n\n' >"$out"
    fi
    if grep -q "<!-- $marker:begin -->" "$out" && grep -q "<!-- $marker:end -->" "$out"; then
        awk -v sec="$section" -v begin="<!-- $marker:begin -->" -v end="<!-- $marker:end -->" '
            $0 == begin { while ((getline l < sec) > 0) print l; skip = 1; next }
            $0 == end   { skip = 0; next }
            !skip { print }
        ' "$out" >"$tmp/out.md"
        cat "$tmp/out.md" >"$out"
    else
        { [ -s "$out" ] && [ -n "$(tail -c1 "$out")" ] && echo; cat "$section"; } >>"$out"
    fi
    say "wrote $out"
    sed -n "/<!-- $marker:begin -->/,/<!-- $marker:end -->/p" "$out"
}
