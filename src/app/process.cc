#include <csignal>
#include <functional>
#include <optional>
#include <string>

#include "app/commands.h"

namespace gatehouse::app {

std::optional<proxy::ListenAddress> parse_listen_address(const std::string& text) {
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return proxy::ListenAddress{host, static_cast<uint16_t>(value)};
}

namespace {

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_signals() {
  sigset_t set = handled_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

void wait_for_signals(const std::function<void()>& on_hup, const std::function<void()>& on_tick) {
  sigset_t set = handled_signals();
  const timespec second{1, 0};
  for (;;) {
    const int sig = sigtimedwait(&set, nullptr, &second);
    if (sig == SIGINT || sig == SIGTERM) return;
    if (sig == SIGHUP && on_hup) on_hup();
    if (sig < 0 && on_tick) on_tick();
  }
}

}  // namespace gatehouse::app
