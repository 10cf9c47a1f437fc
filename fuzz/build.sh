#!/usr/bin/env bash
# Builds every fuzz/*_fuzz.cc as a libFuzzer binary (clang, ASan+UBSan) into BUILD_DIR
# (default: build-fuzz at the repository root): BUILD_DIR/<name>_fuzz.
set -euo pipefail
cd "$(dirname "$0")"
build_dir=${1:-../build-fuzz}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j "$(nproc)"
