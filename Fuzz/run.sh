#!/usr/bin/env bash
# Builds one libFuzzer target and runs it. Usage: Fuzz/run.sh TARGET [SECONDS] [extra libFuzzer args]
#   TARGET:  RTPHeader | RTCP | CodecDescriptors | DependencyDescriptor | STUN | SDP
#   SECONDS: -max_total_time (default 600). 0 builds only.
# Each target is the module's sources plus Fuzz/TARGET/main.swift and Fuzz/FuzzSupport.swift,
# compiled as one module (no SwiftPM, so it never touches .build/). Output lives in .build-fuzz/:
#   bin/TARGET, corpus/TARGET (seeded from Fuzz/TARGET/seeds), artifacts/TARGET/ (crashers).
# To reproduce a crasher: .build-fuzz/bin/TARGET path/to/crash-file
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${1:?usage: Fuzz/run.sh TARGET [SECONDS] [libFuzzer args...]}"
SECONDS_TO_RUN="${2:-600}"
shift $(( $# >= 2 ? 2 : 1 ))

case "$TARGET" in
    RTPHeader|RTCP|CodecDescriptors|DependencyDescriptor) MODULE=RTP; EXTRA=() ;;
    STUN) MODULE=ICE; EXTRA=(-I "$ROOT/Sources/COpenSSL" -lssl -lcrypto) ;;
    SDP) MODULE=SDP; EXTRA=() ;;
    *) echo "unknown target $TARGET" >&2; exit 2 ;;
esac

OUT="$ROOT/.build-fuzz"
BIN="$OUT/bin/$TARGET"
mkdir -p "$OUT/bin" "$OUT/corpus/$TARGET" "$OUT/artifacts/$TARGET" "$OUT/tmp/$TARGET"

mapfile -t SOURCES < <(find "$ROOT/Sources/$MODULE" -name '*.swift' | sort)
HARNESS=("$ROOT/Fuzz/$TARGET/main.swift" "$ROOT/Fuzz/FuzzSupport.swift")

# Rebuild when the binary is missing or any input is newer. FUZZ_OPT=-Onone for a debug build.
if [[ ! -x "$BIN" ]] || [[ -n "$(find "${SOURCES[@]}" "${HARNESS[@]}" "$0" -newer "$BIN" -print -quit)" ]]; then
    echo "building $BIN" >&2
    # -parse-as-library: main.swift holds no top-level code; libFuzzer supplies main().
    # The module name is the target name so the harness sees the module's internals too.
    nice -n 19 swiftc -sanitize=fuzzer,address -parse-as-library "${FUZZ_OPT:--O}" -g \
        -swift-version 6 -enable-upcoming-feature InternalImportsByDefault \
        -module-name "Fuzz$TARGET" -module-cache-path "$OUT/tmp/$TARGET/module-cache" \
        "${EXTRA[@]}" "${SOURCES[@]}" "${HARNESS[@]}" -o "$BIN" 2> >(grep -v 'Cannot export local symbol' >&2)
fi
[[ "$SECONDS_TO_RUN" == 0 ]] && exit 0

# Seeds are copied into the working corpus; libFuzzer adds what it finds there.
cp -n "$ROOT/Fuzz/$TARGET/seeds/"* "$OUT/corpus/$TARGET/" 2>/dev/null || true

cd "$OUT/tmp/$TARGET"
exec nice -n 19 "$BIN" -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -timeout=25 \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$TARGET/" "$@" "$OUT/corpus/$TARGET"
