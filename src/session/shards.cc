#include "session/shards.h"

#include <algorithm>
#include <optional>

namespace gatehouse::session {
namespace {

// 9999-12-31T23:59:59Z, the last second a four-digit year can show.
constexpr std::int64_t kLastFixdateSecond = 253402300799;

// ALB's attributes, none left to browser defaults: Path=/ so every path sees the cookie and a
// logout can delete it; no Domain, so it stays host-only; SameSite=None so cross-site (CORS)
// requests carry it too.
constexpr std::string_view kAttributes = "; Path=/; Secure; HttpOnly; SameSite=None";

std::string set_cookie(std::string_view cookie_name, std::size_t index, std::string_view value,
                       std::int64_t expires_at) {
  std::string text = shard_name(cookie_name, index);
  text += '=';
  text += value;
  text += "; Expires=";
  text += imf_fixdate(expires_at);
  text += kAttributes;
  return text;
}

// Writes `value`, which must be below 10^width, as `width` decimal digits from `at`.
void put_digits(char* at, int width, std::int64_t value) {
  for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
}

// The shard index of a cookie named "<cookie_name>-<digit>", or nullopt.
std::optional<std::size_t> shard_index(std::string_view name, std::string_view cookie_name) {
  if (name.size() != cookie_name.size() + 2 || !name.starts_with(cookie_name) ||
      name[cookie_name.size()] != '-')
    return std::nullopt;
  const char digit = name.back();
  if (digit < '0' || digit >= static_cast<char>('0' + kMaxShards)) return std::nullopt;
  return static_cast<std::size_t>(digit - '0');
}

}  // namespace

std::string shard_name(std::string_view cookie_name, std::size_t index) {
  std::string name(cookie_name);
  name += '-';
  name += std::to_string(index);
  return name;
}

std::array<std::string, kMaxShards + 1> gateway_cookie_names(std::string_view cookie_name) {
  std::array<std::string, kMaxShards + 1> names;
  for (std::size_t i = 0; i < kMaxShards; ++i) names[i] = shard_name(cookie_name, i);
  names[kMaxShards] = std::string(kNonceCookieName);
  return names;
}

Result<std::vector<std::string_view>> split_shards(std::string_view sealed) {
  if (sealed.size() > kMaxSealedBytes) return Status::SessionTooLarge;
  std::vector<std::string_view> shards;
  for (std::size_t start = 0; start < sealed.size(); start += kMaxShardBytes)
    shards.push_back(sealed.substr(start, kMaxShardBytes));
  return shards;
}

Result<std::string> join_shards(std::span<const Cookie> cookies, std::string_view cookie_name) {
  std::array<std::optional<std::string_view>, kMaxShards> shards;
  for (const Cookie& cookie : cookies) {
    const std::optional<std::size_t> index = shard_index(cookie.name, cookie_name);
    if (index && !shards[*index]) shards[*index] = cookie.value;
  }
  const auto last = std::find_if(shards.rbegin(), shards.rend(),
                                 [](const auto& shard) { return shard.has_value(); });
  if (last == shards.rend()) return Status::CookieMissing;
  const auto present_end = last.base();
  if (!std::all_of(shards.begin(), present_end,
                   [](const auto& shard) { return shard.has_value(); }))
    return Status::CookieShardMissing;
  std::string sealed;
  for (auto shard = shards.begin(); shard != present_end; ++shard) sealed += **shard;
  return sealed;
}

Result<std::vector<std::string>> session_set_cookies(std::string_view cookie_name,
                                                     std::string_view sealed,
                                                     std::int64_t expires_at) {
  Result<std::vector<std::string_view>> shards = split_shards(sealed);
  if (!shards.ok()) return shards.error();
  std::vector<std::string> values = expired_session_set_cookies(cookie_name);
  for (std::size_t i = 0; i < shards->size(); ++i)
    values[i] = set_cookie(cookie_name, i, (*shards)[i], expires_at);
  return values;
}

std::vector<std::string> expired_session_set_cookies(std::string_view cookie_name) {
  std::vector<std::string> values;
  values.reserve(kMaxShards);
  for (std::size_t i = 0; i < kMaxShards; ++i) values.push_back(set_cookie(cookie_name, i, "", 0));
  return values;
}

std::string imf_fixdate(std::int64_t unix_seconds) {
  static constexpr std::string_view kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t seconds = std::clamp<std::int64_t>(unix_seconds, 0, kLastFixdateSecond);
  const std::int64_t days = seconds / 86400;
  const std::int64_t second_of_day = seconds % 86400;
  // Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day count since 1970.
  const std::int64_t shifted = days + 719468;  // days since 0000-03-01
  const std::int64_t era = shifted / 146097;
  const std::int64_t day_of_era = shifted - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t march_month = (5 * day_of_year + 2) / 153;  // 0 = March
  const std::int64_t day = day_of_year - (153 * march_month + 2) / 5 + 1;
  const std::int64_t month = march_month < 10 ? march_month + 3 : march_month - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  // The clamp gives every field its fixed width, so each is written in place: no formatting
  // into a buffer that the compiler cannot prove large enough.
  std::string text = "Www, DD Mon YYYY hh:mm:ss GMT";
  text.replace(0, 3, kWeekdays[(days + 4) % 7]);
  put_digits(&text[5], 2, day);
  text.replace(8, 3, kMonths[month - 1]);
  put_digits(&text[12], 4, year);
  put_digits(&text[17], 2, second_of_day / 3600);
  put_digits(&text[20], 2, second_of_day / 60 % 60);
  put_digits(&text[23], 2, second_of_day % 60);
  return text;
}

}  // namespace gatehouse::session
