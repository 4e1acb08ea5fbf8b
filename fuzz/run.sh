#!/usr/bin/env bash
# Fuzz every target with AFL++ (Debian's afl++) through SharpFuzz.
#   fuzz/run.sh                 smoke: FUZZ_SECONDS per target (default 45), all targets
#   FUZZ_SECONDS=600 fuzz/run.sh   the long run (10 minutes per target)
#   fuzz/run.sh TARGET...       only these targets
# Prints per target: execs, execs/s, crashes, hangs; writes "passed failed" to $FUZZ_COUNTS if set
# (test.sh adds it to its totals). A target passes when afl-fuzz ran and found no crash and no hang.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-45}
out=${FUZZ_OUT:-$(mktemp -d /tmp/linkactors-fuzz.XXXXXX)}
command -v afl-fuzz >/dev/null || { echo "afl-fuzz missing (apt-get install afl++)" >&2; exit 1; }

dotnet build LinkActors.Fuzz/LinkActors.Fuzz.csproj -c Release -nologo -v q -o "$out/bin" >/dev/null || { echo "fuzz build failed" >&2; exit 1; }
dotnet tool restore >/dev/null || { echo "dotnet tool restore (SharpFuzz.CommandLine) failed" >&2; exit 1; }
# Instrument our own assemblies (the parsers); the runtime and Akka are left as they are.
for dll in LinkActors.Ppp.dll LinkActors.Actors.dll LinkActors.Fleet.dll; do
  dotnet sharpfuzz "$out/bin/$dll" >/dev/null || { echo "sharpfuzz $dll failed" >&2; exit 1; }
done

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(dotnet "$out/bin/linkactors-fuzz.dll" --list)
passed=0 failed=0
printf '%-14s %12s %10s %8s %6s\n' target execs execs/s crashes hangs
for t in "${targets[@]}"; do
  timeout $((seconds + 120)) afl-fuzz -V "$seconds" -t 5000 -m none -i "corpus/$t" -o "$out/$t" \
    -- dotnet "$out/bin/linkactors-fuzz.dll" "$t" >"$out/$t.log" 2>&1
  stats="$out/$t/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "$t: afl-fuzz did not run (see $out/$t.log)"; tail -5 "$out/$t.log"; failed=$((failed + 1)); continue
  fi
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(get saved_crashes); hangs=$(get saved_hangs); execs=$(get execs_done)
  crashes=${crashes:-$(get unique_crashes)}; hangs=${hangs:-$(get unique_hangs)}
  printf '%-14s %12s %10s %8s %6s\n' "$t" "$execs" "$(get execs_per_sec)" "$crashes" "$hangs"
  if [ "${crashes:-1}" = 0 ] && [ "${hangs:-1}" = 0 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "  findings kept in $out/$t/default/crashes and hangs: reproduce with dotnet $out/bin/linkactors-fuzz.dll $t FILE"; fi
done
[ -n "${FUZZ_COUNTS:-}" ] && echo "$passed $failed" > "$FUZZ_COUNTS"
[ -z "${FUZZ_OUT:-}" ] && [ "$failed" = 0 ] && rm -rf "$out"
[ "$failed" = 0 ]
