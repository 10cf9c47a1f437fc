#!/usr/bin/env bash
# Runs every libFuzzer target for a short, bounded time (default 15 s each) over a scratch copy
# of its seeds, and fails on the first crash: the fuzzing part of `make test`. Skips, with a
# note, where clang++ cannot link libFuzzer (scripts/install-deps.sh installs clang and
# libclang-rt-14-dev). Crash inputs land in BUILD_DIR/artifacts/ (see README.md).
#   usage: fuzz/smoke.sh [SECONDS]      BUILD_DIR defaults to build-fuzz at the repository root
set -euo pipefail
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-15}
build_dir=${BUILD_DIR:-$fuzz_dir/../build-fuzz}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
probe='extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }'
if ! command -v clang++ >/dev/null ||
   ! echo "$probe" | clang++ -x c++ -fsanitize=fuzzer - -o "$scratch/probe" 2>/dev/null; then
  echo "fuzz smoke: skipped (clang++ with libFuzzer not found)"
  exit 0
fi

mkdir -p "$build_dir/artifacts"
build_dir=$(cd "$build_dir" && pwd)
if ! "$fuzz_dir/build.sh" "$build_dir" >"$scratch/build.log" 2>&1; then
  tail -n 40 "$scratch/build.log"
  echo "fuzz smoke: the libFuzzer build failed" >&2
  exit 1
fi
for source in "$fuzz_dir"/*_fuzz.cc; do
  name=$(basename "$source" _fuzz.cc)
  binary="$build_dir/${name}_fuzz"
  mkdir -p "$scratch/$name"
  cp "$fuzz_dir/corpus/$name"/* "$scratch/$name/"
  dict=()
  [ -f "$fuzz_dir/$name.dict" ] && dict=("-dict=$fuzz_dir/$name.dict")
  echo "fuzz smoke: $name for ${seconds}s"
  if ! "$binary" -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
      -artifact_prefix="$build_dir/artifacts/$name-" "${dict[@]}" "$scratch/$name" \
      >"$scratch/$name.log" 2>&1; then
    tail -n 40 "$scratch/$name.log"
    echo "fuzz smoke: $name FAILED; the input is in $build_dir/artifacts/" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units' "$scratch/$name.log" | sed "s/^/  $name /"
done
echo "fuzz smoke: all targets ran clean"
