// The storage behind a worker's per-id counters: cells in fixed-size chunks allocated on
// demand and never moved or freed before the array, so an index stays valid and the
// worker never sees its storage reallocated under it.
// Thread-safety: reserve() from one thread at a time (the registry, under its mutex);
// find() and operator[] from any thread. Cells are whatever atomics the owner writes.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>

namespace gatehouse::telemetry {

template <typename Cell, std::size_t kCellsPerChunk, std::size_t kMaxCells>
class GrowOnlyArray {
  static_assert(kMaxCells % kCellsPerChunk == 0);

 public:
  GrowOnlyArray() = default;
  GrowOnlyArray(const GrowOnlyArray&) = delete;
  GrowOnlyArray& operator=(const GrowOnlyArray&) = delete;
  ~GrowOnlyArray() {
    for (auto& chunk : chunks_) delete chunk.load(std::memory_order_relaxed);
  }

  // REQUIRES: index < a count passed to reserve() before the index was published.
  Cell& operator[](std::size_t index) { return chunk_of(index)->cells[index % kCellsPerChunk]; }

  // nullptr for an index with no room reserved (including any index >= kMaxCells).
  Cell* find(std::size_t index) { return locate(index); }
  const Cell* find(std::size_t index) const { return locate(index); }

  // Makes room for indexes below `count` (at most kMaxCells).
  void reserve(std::size_t count) {
    const std::size_t chunks_needed =
        (std::min(count, kMaxCells) + kCellsPerChunk - 1) / kCellsPerChunk;
    for (std::size_t i = 0; i < chunks_needed; ++i) {
      if (chunks_[i].load(std::memory_order_relaxed) == nullptr)
        chunks_[i].store(new Chunk, std::memory_order_release);
    }
  }

 private:
  struct alignas(64) Chunk {
    std::array<Cell, kCellsPerChunk> cells{};
  };

  Chunk* chunk_of(std::size_t index) const {
    return chunks_[index / kCellsPerChunk].load(std::memory_order_acquire);
  }
  Cell* locate(std::size_t index) const {
    if (index >= kMaxCells) return nullptr;
    Chunk* chunk = chunk_of(index);
    return chunk == nullptr ? nullptr : &chunk->cells[index % kCellsPerChunk];
  }

  std::array<std::atomic<Chunk*>, kMaxCells / kCellsPerChunk> chunks_{};  // owned; grow-only
};

}  // namespace gatehouse::telemetry
