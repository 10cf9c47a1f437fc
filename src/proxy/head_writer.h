// Serializes an HTTP/1.1 message head (start line and fields) into a reused string: the
// proxy's hot path writes it in the same gathered write as the first body bytes.
#pragma once

#include <boost/beast/http/message.hpp>
#include <string>

namespace gatehouse::proxy {

void write_head(const boost::beast::http::request_header<>& head, std::string& out);
void write_head(const boost::beast::http::response_header<>& head, std::string& out);

// "<hex size>\r\n" for one chunk of chunked coding; returns the bytes written to `out`.
std::size_t write_chunk_size(std::size_t size, char (&out)[20]);

}  // namespace gatehouse::proxy
