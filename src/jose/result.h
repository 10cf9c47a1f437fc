// jose::Result<T, Error>: a value or the error saying why there is none, so failures travel as
// values and nothing is thrown across a module boundary. The error is a jose::Status unless
// named; other modules name their own (session: its Status, or a KeyFileError naming a line).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "jose/status.h"

namespace gatehouse::jose {

template <typename T, typename Error = Status>
class Result {
 public:
  // A status enum (one with an Ok code) says both success and failure in one value.
  static constexpr bool kErrorIsStatus = requires { Error::Ok; };

  Result(T value) : state_(std::move(value)) {}
  // REQUIRES: error != Error::Ok for a status enum (an Ok result always carries a value).
  Result(Error error) : state_(std::move(error)) {
    if constexpr (kErrorIsStatus) assert(std::get<Error>(state_) != Error::Ok);
  }

  bool ok() const { return std::holds_alternative<T>(state_); }

  // REQUIRES: !ok().
  const Error& error() const { return std::get<Error>(state_); }
  // Error::Ok or the error, for a status enum.
  Error status() const requires kErrorIsStatus { return ok() ? Error::Ok : error(); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace gatehouse::jose
