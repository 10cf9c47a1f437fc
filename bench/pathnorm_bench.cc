// Cost of path normalization per request, with the per-worker buffer reused as the engine does.
#include <benchmark/benchmark.h>

#include <string_view>

#include "pathnorm/pathnorm.h"

namespace gatehouse::pathnorm {
namespace {

constexpr std::string_view kTypicalTarget = "/api/v1/users/12345/orders?limit=10&offset=20";
constexpr std::string_view kDotHeavyTarget =
    "/static/./css/../js/%2e%2e/img/./icons/../../fonts/%2E/woff2/../../a//b\\c/%7Euser/./x?v=3";

void run(benchmark::State& state, std::string_view target, Mode mode) {
  Normalized out;
  for (auto _ : state) {
    const Status status = normalize(target, mode, out);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(out.target.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * target.size()));
}

void BM_TypicalBase(benchmark::State& state) { run(state, kTypicalTarget, Mode::Base); }
void BM_TypicalNone(benchmark::State& state) { run(state, kTypicalTarget, Mode::None); }
void BM_TypicalMergeSlashes(benchmark::State& state) {
  run(state, kTypicalTarget, Mode::MergeSlashes);
}
void BM_DotHeavyBase(benchmark::State& state) { run(state, kDotHeavyTarget, Mode::Base); }
void BM_DotHeavyDecodeAndMergeSlashes(benchmark::State& state) {
  run(state, kDotHeavyTarget, Mode::DecodeAndMergeSlashes);
}

BENCHMARK(BM_TypicalBase);
BENCHMARK(BM_TypicalNone);
BENCHMARK(BM_TypicalMergeSlashes);
BENCHMARK(BM_DotHeavyBase);
BENCHMARK(BM_DotHeavyDecodeAndMergeSlashes);

}  // namespace
}  // namespace gatehouse::pathnorm
