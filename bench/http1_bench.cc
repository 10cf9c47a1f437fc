// Cost of parsing one message head with http1, side by side with the Boost.Beast parser it
// replaces on the proxy's hot path, and of decoding a chunked body. The http1 heads reuse
// one RequestHead/ResponseHead as a proxy connection does; a Beast parser is single-use,
// so each iteration builds one, as the proxy had to.
#include <benchmark/benchmark.h>

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "http1/body.h"
#include "http1/head.h"
#include "http1/writer.h"

namespace gatehouse::http1 {
namespace {

namespace beast_http = boost::beast::http;

// A browser's navigation request: 12 fields, about 600 bytes.
constexpr std::string_view kBrowserRequest =
    "GET /api/v1/users/12345/orders?limit=10&offset=20 HTTP/1.1\r\n"
    "Host: app.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;"
    "q=0.8\r\n"
    "Accept-Language: en-US,en;q=0.9\r\n"
    "Accept-Encoding: gzip, deflate, br, zstd\r\n"
    "Referer: https://app.example.com/dashboard\r\n"
    "Cookie: session=3f2a9c1e7b4d4e0f8a6b5c3d2e1f0a9b; theme=dark; _ga=GA1.2.123456789.17000\r\n"
    "Connection: keep-alive\r\n"
    "Upgrade-Insecure-Requests: 1\r\n"
    "Sec-Fetch-Dest: document\r\n"
    "Sec-Fetch-Mode: navigate\r\n"
    "Sec-Fetch-Site: same-origin\r\n"
    "\r\n";

// An upstream's answer to it: 10 fields, about 350 bytes.
constexpr std::string_view kUpstreamResponse =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx/1.24.0\r\n"
    "Date: Mon, 03 Jun 2024 10:00:00 GMT\r\n"
    "Content-Type: application/json; charset=utf-8\r\n"
    "Content-Length: 1234\r\n"
    "Connection: keep-alive\r\n"
    "Cache-Control: no-cache, private\r\n"
    "ETag: \"5f3a-1a2b3c4d\"\r\n"
    "Vary: Accept-Encoding\r\n"
    "X-Request-Id: 7d9f3b2a-4c1e-4f6a-9b8d-2e5c7a1f0b3e\r\n"
    "Strict-Transport-Security: max-age=31536000\r\n"
    "\r\n";

void count_bytes(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["head_bytes"] = static_cast<double>(bytes);
}

HeadResult parse(std::string_view bytes, RequestHead& head) {
  return parse_request(bytes, Limits{}, head);
}
HeadResult parse(std::string_view bytes, ResponseHead& head) {
  return parse_response(bytes, Limits{}, false, head);
}

template <class Head>
void run_http1(benchmark::State& state, std::string_view bytes) {
  Head head;
  for (auto _ : state) {
    if (parse(bytes, head).status != HeadStatus::Complete) state.SkipWithError("not complete");
    benchmark::DoNotOptimize(head.fields.all().data());
  }
  count_bytes(state, bytes.size());
}

template <class Parser>
void run_beast(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    Parser parser;
    parser.header_limit(64 * 1024);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec || !parser.is_header_done()) state.SkipWithError("not complete");
    benchmark::DoNotOptimize(parser.get().base().begin());
  }
  count_bytes(state, bytes.size());
}

void BM_Http1Request(benchmark::State& state) { run_http1<RequestHead>(state, kBrowserRequest); }
void BM_BeastRequest(benchmark::State& state) {
  run_beast<beast_http::request_parser<beast_http::buffer_body>>(state, kBrowserRequest);
}
void BM_Http1Response(benchmark::State& state) {
  run_http1<ResponseHead>(state, kUpstreamResponse);
}
void BM_BeastResponse(benchmark::State& state) {
  run_beast<beast_http::response_parser<beast_http::buffer_body>>(state, kUpstreamResponse);
}

// A 64 KiB body in chunks of state.range(0) bytes, decoded in place in one buffer.
void BM_Http1ChunkedDecode(benchmark::State& state) {
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  const std::string body(64 * 1024, 'x');
  std::string encoded;
  char line[20];
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    encoded.append(line, write_chunk_size(chunk, line));
    encoded.append(body, at, chunk);
    encoded.append("\r\n");
  }
  encoded.append("0\r\n\r\n");
  for (auto _ : state) {
    BodyReader reader(Framing::Chunked, 0);
    std::size_t used = 0, total = 0;
    while (!reader.done()) {
      std::size_t consumed = 0;
      std::string_view data;
      if (reader.read(std::string_view(encoded).substr(used), consumed, data) ==
          BodyStatus::Error) {
        state.SkipWithError("error");
        break;
      }
      used += consumed;
      total += data.size();
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded.size()));
}

BENCHMARK(BM_Http1Request);
BENCHMARK(BM_BeastRequest);
BENCHMARK(BM_Http1Response);
BENCHMARK(BM_BeastResponse);
BENCHMARK(BM_Http1ChunkedDecode)->Arg(256)->Arg(4096);

}  // namespace
}  // namespace gatehouse::http1
