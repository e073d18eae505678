#include "common/redis/redis_options.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/redis/internal/absl_view.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr absl::string_view kScheme = "redis://";
constexpr absl::string_view kSentinelScheme = "redis+sentinel://";
constexpr int kSentinelPort = 26379;
constexpr absl::string_view kClusterScheme = "redis+cluster://";

// Error messages quote only the parts without credentials, so a bad URL can
// be logged safely.
absl::Status BadUrl(absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("redis url: ", problem));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Passwords often contain '@', ':' or '/', which a URL can only carry
// percent-encoded.
std::optional<std::string> PercentDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

absl::Status ParseUserInfo(absl::string_view userinfo, RedisOptions& options) {
  size_t colon = userinfo.find(':');
  if (colon == absl::string_view::npos) {
    // "redis://name@host" is read as a user by some clients and as a password
    // by others; refusing it beats guessing wrong.
    return BadUrl("credentials must be ':password' or 'user:password' before '@'");
  }
  std::optional<std::string> user = PercentDecode(userinfo.substr(0, colon));
  std::optional<std::string> password = PercentDecode(userinfo.substr(colon + 1));
  if (!user || !password) return BadUrl("bad percent-encoding in credentials");
  if (password->empty()) return BadUrl("empty password after ':'");
  options.username = *std::move(user);
  options.password = *std::move(password);
  return absl::OkStatus();
}

absl::Status ParseHostPort(absl::string_view hostport, RedisNodeAddress& node) {
  absl::string_view port;
  if (absl::StartsWith(hostport, "[")) {
    size_t close = hostport.find(']');
    if (close == absl::string_view::npos) return BadUrl("unclosed '[' in IPv6 host");
    node.host = std::string(hostport.substr(1, close - 1));
    absl::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return BadUrl("expected ':port' after IPv6 host");
      port = rest.substr(1);
      if (port.empty()) return BadUrl("empty port");
    }
  } else {
    size_t colon = hostport.rfind(':');
    if (colon != absl::string_view::npos) {
      port = hostport.substr(colon + 1);
      if (port.empty()) return BadUrl("empty port");
      hostport = hostport.substr(0, colon);
    }
    if (hostport.find(':') != absl::string_view::npos) {
      return BadUrl("an IPv6 host goes in brackets: [::1]:6379");
    }
    node.host = std::string(hostport);
  }
  if (node.host.empty()) return BadUrl("missing host");
  if (!port.empty()) {
    int value = 0;
    if (!absl::SimpleAtoi(port, &value) || value < 1 || value > 65535 ||
        port.find_first_not_of("0123456789") != absl::string_view::npos) {
      return BadUrl(absl::StrCat("port '", port, "' is not a number in 1..65535"));
    }
    node.port = value;
  }
  return absl::OkStatus();
}

// "host:port,host:port": every seed must parse; an empty one is a typo
// ("a:1,,b:2") worth naming rather than skipping.
absl::Status ParseSeeds(absl::string_view hostports, RedisOptions& options) {
  if (hostports.empty()) return BadUrl("missing host");
  int index = 0;
  for (absl::string_view hostport : absl::StrSplit(hostports, ',')) {
    ++index;
    if (hostport.empty()) return BadUrl(absl::StrCat("cluster seed ", index, " is empty"));
    RedisNodeAddress node;
    if (absl::Status status = ParseHostPort(hostport, node); !status.ok()) {
      return BadUrl(absl::StrCat("cluster seed ", index, ": ",
                                 absl::StripPrefix(status.message(), "redis url: ")));
    }
    options.cluster_seeds.push_back(std::move(node));
  }
  options.host = options.cluster_seeds.front().host;
  options.port = options.cluster_seeds.front().port;
  return absl::OkStatus();
}

absl::Status ParseDb(absl::string_view path, RedisOptions& options) {
  if (path.empty()) return absl::OkStatus();  // "redis://host/" is db 0.
  int db = 0;
  if (path.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(path, &db)) {
    return BadUrl(absl::StrCat("database '", path, "' is not a non-negative number"));
  }
  options.db = db;
  return absl::OkStatus();
}

// `host[:port][,host[:port]...]/master[/db]` after the credentials.
absl::Status ParseSentinels(absl::string_view rest, RedisOptions& options) {
  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos)
    return BadUrl("missing '/<master name>' after the sentinels");
  for (absl::string_view hostport : absl::StrSplit(rest.substr(0, slash), ',')) {
    RedisNodeAddress sentinel{.host = "", .port = kSentinelPort};
    DF_RETURN_IF_ERROR(ParseHostPort(hostport, sentinel));
    options.sentinels.push_back(std::move(sentinel));
  }
  const std::vector<absl::string_view> path = absl::StrSplit(rest.substr(slash + 1), '/');
  if (path[0].empty()) return BadUrl("empty master name");
  if (path.size() > 2) return BadUrl("expected '/<master name>[/<db>]' after the sentinels");
  options.sentinel_master = std::string(path[0]);
  return ParseDb(path.size() == 2 ? path[1] : absl::string_view(), options);
}

}  // namespace

absl::StatusOr<RedisOptions> ParseRedisUrl(std::string_view url_in) {
  absl::string_view url = redis_internal::ToAbsl(url_in);
  if (absl::StartsWith(url, "rediss://") || absl::StartsWith(url, "rediss+cluster://")) {
    return BadUrl("TLS (rediss://) is not supported by this client");
  }
  const bool cluster = absl::StartsWith(url, kClusterScheme);
  const bool sentinel = absl::StartsWith(url, kSentinelScheme);
  if (!cluster && !sentinel && !absl::StartsWith(url, kScheme)) {
    return BadUrl("must start with redis://, redis+sentinel:// or redis+cluster://");
  }
  absl::string_view rest = url.substr(cluster    ? kClusterScheme.size()
                                      : sentinel ? kSentinelScheme.size()
                                                 : kScheme.size());
  if (rest.find_first_of("?#") != absl::string_view::npos) {
    return BadUrl("query parameters and fragments are not supported");
  }

  RedisOptions options;
  // The password may itself contain '@' when not encoded; the host never
  // does, so the last '@' ends the credentials.
  size_t at = rest.rfind('@');
  if (at != absl::string_view::npos) {
    DF_RETURN_IF_ERROR(ParseUserInfo(rest.substr(0, at), options));
    rest = rest.substr(at + 1);
  }
  if (sentinel) {
    options.mode = RedisMode::kSentinel;
    DF_RETURN_IF_ERROR(ParseSentinels(rest, options));
    return options;
  }
  size_t slash = rest.find('/');
  absl::string_view hostport = rest.substr(0, slash);
  absl::string_view path =
      slash == absl::string_view::npos ? absl::string_view() : rest.substr(slash + 1);
  if (cluster) {
    options.mode = RedisMode::kCluster;
    DF_RETURN_IF_ERROR(ParseSeeds(hostport, options));
    if (!path.empty() && path != "0") {
      return BadUrl(absl::StrCat("Redis Cluster has only database 0, not '", path, "'"));
    }
    return options;
  }
  if (hostport.find(',') != absl::string_view::npos) {
    return BadUrl("several hosts need redis+cluster:// (redis:// names one server)");
  }
  RedisNodeAddress node;
  DF_RETURN_IF_ERROR(ParseHostPort(hostport, node));
  options.host = std::move(node.host);
  options.port = node.port;
  DF_RETURN_IF_ERROR(ParseDb(path, options));
  return options;
}

absl::Status ValidateRedisOptions(const RedisOptions& options) {
  for (const RedisNodeAddress& sentinel : options.sentinels) {
    if (sentinel.host.empty() || sentinel.port < 1 || sentinel.port > 65535) {
      return absl::InvalidArgumentError(
          "redis options: every sentinel needs a host and a port in 1..65535");
    }
  }
  if (options.mode == RedisMode::kSentinel &&
      (options.sentinels.empty() || options.sentinel_master.empty())) {
    return absl::InvalidArgumentError(
        "redis options: sentinel mode needs sentinels and a sentinel_master");
  }
  if (options.host.empty()) return absl::InvalidArgumentError("redis options: host is empty");
  if (options.port < 1 || options.port > 65535) {
    return absl::InvalidArgumentError("redis options: port must be in 1..65535");
  }
  if (options.db < 0) return absl::InvalidArgumentError("redis options: db must be >= 0");
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("redis options: pool_size must be at least 1");
  }
  if (options.mode == RedisMode::kCluster) {
    if (options.cluster_seeds.empty()) {
      return absl::InvalidArgumentError("redis options: cluster_seeds is empty");
    }
    for (const RedisNodeAddress& seed : options.cluster_seeds) {
      if (seed.host.empty() || seed.port < 1 || seed.port > 65535) {
        return absl::InvalidArgumentError(
            "redis options: every cluster_seeds entry needs a host and a port in 1..65535");
      }
    }
    if (options.db != 0) {
      return absl::InvalidArgumentError("redis options: db must be 0 with Redis Cluster");
    }
    if (options.cluster_max_redirections < 1) {
      return absl::InvalidArgumentError(
          "redis options: cluster_max_redirections must be at least 1");
    }
  }
  if (options.durable_replicas < 0) {
    return absl::InvalidArgumentError("redis options: durable_replicas must be >= 0");
  }
  if (options.durable_timeout < absl::Milliseconds(1)) {
    // WAIT takes whole milliseconds, and WAIT N 0 would wait forever.
    return absl::InvalidArgumentError("redis options: durable_timeout must be at least 1ms");
  }
  const std::pair<const char*, absl::Duration> durations[] = {
      {"connect_timeout", options.connect_timeout},
      {"durable_timeout", options.durable_timeout},
      {"command_timeout", options.command_timeout},
      {"reconnect_backoff_initial", options.reconnect_backoff_initial},
      {"reconnect_backoff_max", options.reconnect_backoff_max}};
  for (const auto& [name, value] : durations) {
    if (value <= absl::ZeroDuration() || value == absl::InfiniteDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat("redis options: ", name, " must be positive and finite"));
    }
  }
  return absl::OkStatus();
}

std::string RedisNodeName(const RedisNodeAddress& node) {
  bool ipv6 = node.host.find(':') != std::string::npos;
  return absl::StrCat(ipv6 ? "[" : "", node.host, ipv6 ? "]" : "", ":", node.port);
}

std::string RedisEndpoint(const RedisOptions& options) {
  if (options.mode == RedisMode::kSentinel) {
    return absl::StrCat("sentinel:", options.sentinel_master, "/", options.db);
  }
  if (options.mode == RedisMode::kCluster) {
    return absl::StrCat("cluster ",
                        absl::StrJoin(options.cluster_seeds, ",",
                                      [](std::string* out, const RedisNodeAddress& node) {
                                        out->append(RedisNodeName(node));
                                      }));
  }
  return absl::StrCat(RedisNodeName({options.host, options.port}), "/", options.db);
}

}  // namespace dermaflow::common
