// Fuzz target for http1::BodyReader. The first four bytes choose the framing (byte 0), the
// Content-Length (bytes 1-2) and a cut (byte 3); the rest is the body input. Checks,
// aborting on any violation: a read never consumes more than it was given, makes progress,
// and returns data only from the bytes it consumed; the input fed whole, in two slices at
// the cut, or byte by byte decodes the same; a Content-Length or until-close body is the
// input's bytes exactly; and a decoded chunked body, re-encoded with write_chunk_size,
// decodes back to itself.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http1/body.h"
#include "http1/writer.h"
#include "http1_fuzz_support.h"

namespace {

using namespace gatehouse::http1;
using http1_fuzz::inside;
using http1_fuzz::require;

struct Outcome {
  std::string data;
  bool error = false;
  bool done = false;
  std::size_t consumed = 0;
  bool operator==(const Outcome&) const = default;
};

// Feeds `input.substr(at, size)` to `reader` until it is used up, the body is done or an
// error occurs.
void feed(BodyReader& reader, std::string_view input, std::size_t at, std::size_t size,
          Outcome& out) {
  const std::string_view slice = input.substr(at, size);
  for (std::size_t used = 0; used < slice.size() && !reader.done();) {
    std::size_t consumed = 0;
    std::string_view data;
    const BodyStatus status = reader.read(slice.substr(used), consumed, data);
    require(consumed <= slice.size() - used, "consumed more than given", input);
    require(inside(data, slice.substr(used, consumed)), "data outside the consumed bytes", input);
    out.consumed += consumed;
    if (status == BodyStatus::Error) {
      out.error = true;
      return;
    }
    require(consumed > 0, "no progress", input);
    used += consumed;
    out.data.append(data);
  }
  require(reader.done() || out.consumed == at + slice.size(), "stopped early without being done",
          input);
}

// Decodes `input` fed in slices of at most `step` bytes, the first one `first` bytes long.
Outcome decode(Framing framing, uint64_t length, std::string_view input, std::size_t first,
               std::size_t step) {
  BodyReader reader(framing, length);
  Outcome out;
  for (std::size_t at = 0; at < input.size() && !reader.done() && !out.error;) {
    const std::size_t size = at == 0 ? std::max<std::size_t>(first, 1) : step;
    feed(reader, input, at, size, out);
    at += size;
  }
  out.done = reader.done();
  return out;
}

// The chunked encoding of `data` in chunks of `chunk` bytes, as the proxy writes it.
std::string encode_chunked(std::string_view data, std::size_t chunk) {
  std::string out;
  char line[20];
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    const std::string_view piece = data.substr(at, chunk);
    out.append(line, write_chunk_size(piece.size(), line));
    out.append(piece);
    out.append("\r\n");
  }
  return out + "0\r\n\r\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const Framing framing = data[0] % 3 == 0   ? Framing::ContentLength
                          : data[0] % 3 == 1 ? Framing::Chunked
                                             : Framing::UntilClose;
  const uint64_t length = data[1] | (data[2] << 8);
  const std::string_view input(reinterpret_cast<const char*>(data) + 4, size - 4);
  const std::size_t cut = input.empty() ? 0 : data[3] % (input.size() + 1);

  const std::size_t all = input.size() + 1;
  const Outcome whole = decode(framing, length, input, all, all);
  require(decode(framing, length, input, cut, all) == whole, "two slices decode differently",
          input);
  require(decode(framing, length, input, 1, 1) == whole, "bytes one by one decode differently",
          input);

  if (framing != Framing::Chunked) {
    const std::size_t expected =
        framing == Framing::UntilClose ? input.size() : std::min<std::size_t>(length, input.size());
    require(!whole.error && whole.data == input.substr(0, expected) && whole.consumed == expected,
            "a raw body is not the input's bytes", input);
    require(whole.done == (framing == Framing::ContentLength && expected == length),
            "raw body done at the wrong time", input);
    return 0;
  }
  if (!whole.done) return 0;
  const std::string again = encode_chunked(whole.data, 1 + data[3] % 64);
  const Outcome reencoded = decode(Framing::Chunked, 0, again, again.size(), again.size());
  require(reencoded.done && reencoded.data == whole.data && reencoded.consumed == again.size(),
          "re-encoded body decodes differently", input);
  return 0;
}
