#include "services/notification/delivery/channels/smtp_config.h"

#include <arpa/inet.h>

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::notification {
namespace {

absl::Status UrlError(absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("--smtp_url: ", why, " (expected smtp://host:port or smtps://host:port)"));
}

bool IsHostNameChar(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_'; }

}  // namespace

std::string SmtpEndpoint::CurlUrl() const {
  const bool v6 = host.find(':') != std::string::npos;
  return absl::StrCat(implicit_tls ? "smtps" : "smtp", "://", v6 ? "[" : "", host, v6 ? "]" : "",
                      ":", port, ehlo_domain.empty() ? "" : "/", ehlo_domain);
}

absl::StatusOr<SmtpEndpoint> ParseSmtpUrl(absl::string_view url) {
  SmtpEndpoint endpoint;
  const size_t sep = url.find("://");
  if (sep == absl::string_view::npos) return UrlError("no scheme");
  const std::string scheme = absl::AsciiStrToLower(url.substr(0, sep));
  if (scheme == "smtps") {
    endpoint.implicit_tls = true;
  } else if (scheme != "smtp") {
    return UrlError(absl::StrCat("unsupported scheme '", scheme, "'"));
  }
  absl::string_view rest = url.substr(sep + 3);
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  if (slash != absl::string_view::npos) {
    for (char c : rest.substr(slash + 1)) {
      if (!IsHostNameChar(c)) return UrlError("only an EHLO domain may follow the host");
    }
    endpoint.ehlo_domain = std::string(rest.substr(slash + 1));
  }
  if (authority.find('@') != absl::string_view::npos) {
    return UrlError("credentials do not belong in the URL (use --smtp_user, --smtp_password_file)");
  }
  absl::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return UrlError("unterminated IPv6 address");
    endpoint.host = std::string(authority.substr(1, close - 1));
    in6_addr v6;
    if (inet_pton(AF_INET6, endpoint.host.c_str(), &v6) != 1) return UrlError("bad IPv6 address");
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return UrlError("junk after the host");
      port_text = after.substr(1);
      if (port_text.empty()) return UrlError("empty port");
    }
  } else {
    const size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != absl::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return UrlError("empty port");
    }
    for (char c : endpoint.host) {
      if (!IsHostNameChar(c)) return UrlError("bad character in the host");
    }
  }
  if (endpoint.host.empty()) return UrlError("no host");
  if (port_text.empty()) {
    endpoint.port = endpoint.implicit_tls ? 465 : 587;
  } else {
    int port = 0;
    for (char c : port_text) {
      if (!absl::ascii_isdigit(c)) return UrlError("port is not a number");
    }
    if (port_text.size() > 5 || !absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
      return UrlError("port out of range 1-65535");
    }
    endpoint.port = port;
  }
  return endpoint;
}

bool IsLoopbackHost(absl::string_view host) {
  if (!host.empty() && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  const std::string h(host);
  in_addr v4;
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

std::string BareAddress(absl::string_view mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != absl::string_view::npos && close != absl::string_view::npos && close > open) {
    return std::string(mailbox.substr(open + 1, close - open - 1));
  }
  return std::string(absl::StripAsciiWhitespace(mailbox));
}

absl::StatusOr<SmtpPlan> PlanSmtp(const SmtpOptions& options) {
  SmtpPlan plan;
  auto endpoint = ParseSmtpUrl(options.url);
  if (!endpoint.ok()) return endpoint.status();
  plan.endpoint = *endpoint;
  if (options.from.find_first_of("\r\n") != std::string::npos) {
    return absl::InvalidArgumentError("--smtp_from: line breaks are not allowed");
  }
  plan.from_address = BareAddress(options.from);
  const size_t at = plan.from_address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == plan.from_address.size() ||
      plan.from_address.find_first_of(" <>\t") != std::string::npos) {
    return absl::InvalidArgumentError(
        "--smtp_from: needs an address, e.g. \"Praxis <praxis@clinic.example>\"");
  }
  if (options.username.empty() != options.password.empty()) {
    return absl::InvalidArgumentError(options.username.empty()
                                          ? "--smtp_password_file: given without --smtp_user"
                                          : "--smtp_user: given without --smtp_password_file");
  }
  plan.auth = !options.username.empty();
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--smtp_ca_file: cannot read '", options.ca_file, "'"));
  }
  const bool loopback = IsLoopbackHost(plan.endpoint.host);
  if (plan.endpoint.implicit_tls) {
    plan.tls = SmtpTls::kImplicit;
  } else if (plan.auth) {
    if (options.insecure_plaintext && !loopback) {
      // Plaintext was asked for, but AUTH never travels in clear.
      return absl::InvalidArgumentError(
          "--smtp_insecure_plaintext: cannot be used with --smtp_user (AUTH is only sent over "
          "TLS)");
    }
    plan.tls = SmtpTls::kStartTls;
  } else if (loopback && options.ca_file.empty()) {
    plan.tls = SmtpTls::kNone;
  } else if (!loopback && options.insecure_plaintext) {
    plan.tls = SmtpTls::kNone;
    plan.plaintext_to_remote = true;
  } else {
    plan.tls = SmtpTls::kStartTls;
  }
  return plan;
}

}  // namespace dermaflow::notification
