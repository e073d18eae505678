// The SMTP channel's configuration and its TLS policy, decided once at start:
// which URL forms are valid, when STARTTLS is required, and that AUTH never
// travels without TLS. Pure (no network), so every rule is unit-tested.
//
//   DF_ASSIGN_OR_RETURN(SmtpPlan plan, PlanSmtp({.url = "smtp://mail.example:587",
//                                                .from = "Praxis <praxis@example.org>"}));
//   plan.tls == SmtpTls::kStartTls  // required: the server is not loopback
#pragma once

#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::notification {

struct SmtpOptions {
  std::string url;       // --smtp_url: smtp://host[:port] (STARTTLS) or smtps://host[:port]
  std::string from;      // --smtp_from: "Name <address>" or a bare address
  std::string username;  // --smtp_user (optional AUTH)
  std::string password;  // from --smtp_password_file
  std::string ca_file;   // --smtp_ca_file: PEM bundle; empty: the system CAs
  // --smtp_insecure_plaintext: allow plaintext to a non-loopback server
  // without AUTH (development mail catchers only).
  bool insecure_plaintext = false;
  // libcurl CURLOPT_RESOLVE entries "host:port:address" (tests point a real
  // host name at a loopback server; not a flag).
  std::vector<std::string> resolve;
  absl::Duration timeout = absl::Seconds(20);
};

enum class SmtpTls {
  kNone,      // plaintext: loopback without AUTH, or --smtp_insecure_plaintext
  kStartTls,  // smtp://, STARTTLS required (CURLUSESSL_ALL)
  kImplicit,  // smtps://
};

struct SmtpEndpoint {
  bool implicit_tls = false;  // smtps://
  std::string host;           // without brackets for IPv6
  int port = 0;               // default 587 (smtp, RFC 6409) or 465 (smtps, RFC 8314)
  std::string ehlo_domain;    // optional "/domain" after the host: what libcurl sends in EHLO
  // The URL libcurl is given: scheme://host:port[/domain] (IPv6 in brackets).
  std::string CurlUrl() const;
};

// Parses --smtp_url. Rejects other schemes, a missing host, user info
// (credentials come from files), a bad port, and anything after the host
// except an optional "/" + EHLO domain. Errors name --smtp_url.
absl::StatusOr<SmtpEndpoint> ParseSmtpUrl(absl::string_view url);

// localhost, 127.0.0.0/8 and ::1 (with or without brackets).
bool IsLoopbackHost(absl::string_view host);

struct SmtpPlan {
  SmtpEndpoint endpoint;
  SmtpTls tls = SmtpTls::kStartTls;
  bool auth = false;
  bool plaintext_to_remote = false;  // --smtp_insecure_plaintext in use: warn at start
  std::string from_address;          // the bare address inside --smtp_from
};

// Checks the whole SMTP configuration; InvalidArgument naming the flag.
// TLS is required unless the server is loopback (and neither AUTH nor a CA
// file asks for TLS) or --smtp_insecure_plaintext allows it; AUTH is only
// ever sent over TLS.
absl::StatusOr<SmtpPlan> PlanSmtp(const SmtpOptions& options);

// The address inside "Name <address>", or the whole string.
std::string BareAddress(absl::string_view mailbox);

}  // namespace dermaflow::notification
