#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS (default 60), starting from its seed corpus.
# New inputs go to a scratch corpus in the build dir, never into the committed seeds (see
# README.md to merge them); logs of -jobs/-workers runs land in the build dir too.
#   usage: fuzz/run.sh NAME [SECONDS] [extra libFuzzer flags...]   e.g. fuzz/run.sh pathnorm 300
set -euo pipefail
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: fuzz/run.sh NAME [SECONDS] [libFuzzer flags...]}
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
build_dir=${BUILD_DIR:-$fuzz_dir/../build-fuzz}
[ -x "$build_dir/${name}_fuzz" ] || "$fuzz_dir/build.sh" "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
mkdir -p "$build_dir/corpus/$name" "$build_dir/artifacts"
dict=()
[ -f "$fuzz_dir/$name.dict" ] && dict=("-dict=$fuzz_dir/$name.dict")
cd "$build_dir"
exec "./${name}_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$build_dir/artifacts/$name-" "${dict[@]}" "$@" \
  "$build_dir/corpus/$name" "$fuzz_dir/corpus/$name"
