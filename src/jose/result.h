// jose::Result<T>: a value or the Status saying why there is none, so failures travel as values
// and nothing is thrown across the module boundary.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "jose/status.h"

namespace gatehouse::jose {

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  // REQUIRES: status != Status::Ok (an Ok result always carries a value).
  Result(Status status) : state_(status) { assert(status != Status::Ok); }

  bool ok() const { return std::holds_alternative<T>(state_); }
  Status status() const { return ok() ? Status::Ok : std::get<Status>(state_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace gatehouse::jose
