#include "common/server/server_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, listen, "",
          "gRPC address host:port (default: the service's own port on 0.0.0.0)");
ABSL_FLAG(std::string, metrics_listen, "",
          "Prometheus /metrics address host:port (default: the service's own metrics port)");
ABSL_FLAG(std::string, health_listen, "",
          "Optional plaintext host:port serving only grpc.health.v1 (for kubelet probes "
          "when --tls_cert is set)");
ABSL_FLAG(std::string, redis, "redis://127.0.0.1:6379/0",
          "Redis URL redis://[:password@]host:port[/db], or "
          "redis+sentinel://host[:port][,host[:port]...]/<master>[/db] to follow the primary "
          "that Redis Sentinel names");
ABSL_FLAG(std::string, redis_password, "",
          "Redis password (prefer DERMAFLOW_REDIS_PASSWORD from a Secret over the URL)");
ABSL_FLAG(int, redis_durable_replicas, 0,
          "Replicas that must confirm a durable write (bookings, erasures, consent changes, "
          "reminder outcomes) before it is acknowledged (Redis WAIT); 0: the primary's "
          "word is enough");
ABSL_FLAG(absl::Duration, redis_durable_timeout, absl::Seconds(1),
          "How long a durable write waits for --redis_durable_replicas; a write not "
          "confirmed in time fails with UNAVAILABLE (it ran on the primary)");
ABSL_FLAG(int, redis_pool_size, 64,
          "Redis connections kept open per process; at least the RPCs expected in flight at "
          "once (a handler waits for a free connection beyond it)");
ABSL_FLAG(std::string, auth, "jwt",
          "Caller authentication: jwt (Bearer tokens) or none (local runs only: every "
          "caller is --dev_organization)");
ABSL_FLAG(std::string, jwt_hs256_key_file, "",
          "File holding the HS256 shared secret (local development only)");
ABSL_FLAG(std::string, jwt_rs256_public_key_file, "",
          "PEM file with the identity provider's public key (RSA or EC P-256)");
ABSL_FLAG(std::string, jwt_jwks_url, "",
          "https:// URL of the identity provider's JWKS (OIDC jwks_uri); refreshed as keys rotate");
ABSL_FLAG(int64_t, jwt_cache_size, 10000,
          "Verified tokens remembered (by SHA-256) so a reused token is not parsed and "
          "signature-checked again on every call; 0 turns the cache off");
ABSL_FLAG(absl::Duration, jwt_cache_ttl, absl::Minutes(5),
          "How long a verified token is remembered at most (never past its exp; a key removed "
          "from the JWKS stops vouching for its tokens at the next JWKS load)");
ABSL_FLAG(std::string, jwt_jwks_file, "", "File holding the identity provider's JWKS");
ABSL_FLAG(std::string, jwt_jwks_ca_file, "",
          "PEM CAs to verify --jwt_jwks_url with; empty: the system's CAs");
ABSL_FLAG(absl::Duration, jwt_jwks_refresh_interval, absl::Minutes(10),
          "How often the JWKS is reloaded even when every kid is known");
ABSL_FLAG(absl::Duration, jwt_jwks_min_refresh_interval, absl::Seconds(30),
          "Least time between two reloads when tokens name an unknown kid (rate limit)");
ABSL_FLAG(std::string, jwt_issuer, "", "Required `iss` claim of people's tokens, if set");
ABSL_FLAG(std::string, jwt_audience, "", "Required `aud` claim of people's tokens, if set");
ABSL_FLAG(std::string, jwt_org_claim, "org",
          "Claim holding the organization: a name or a dotted path (e.g. tenant.id)");
ABSL_FLAG(std::string, jwt_roles_claim, "roles",
          "Claim holding the roles: a name or a dotted path (e.g. realm_access.roles)");
ABSL_FLAG(std::string, service_token_public_key_file, "",
          "PEM public key(s) of the service-identity key; tokens services sign for "
          "themselves are checked with these (several PEM blocks during a rotation)");
ABSL_FLAG(std::string, service_token_key_file, "",
          "PEM private key this service signs its own service tokens with (only "
          "services that call others on their own, i.e. notification)");
ABSL_FLAG(std::string, dev_organization, "demo", "Organization of every caller with --auth=none");
ABSL_FLAG(std::string, tls_cert, "", "PEM server certificate chain; enables TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; when set, clients must present a certificate it signed (mTLS)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA bundle to verify the services this one calls; enables TLS on those calls");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(10),
          "On SIGTERM, how long in-flight RPCs may take before they are cancelled");
ABSL_FLAG(int, max_receive_message_bytes, 0,
          "Largest request body accepted, in bytes (larger: RESOURCE_EXHAUSTED before parsing); "
          "0: the service's default (4 MiB, scheduling 1 MiB; see docs/operations.md)");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");
ABSL_FLAG(int64_t, event_stream_max_len, 1'000'000,
          "Approximate MAXLEN of each tenant's event stream (XADD MAXLEN ~); keep it above "
          "the largest backlog a consumer group may fall behind by");
// Fair limits per organization on each replica (common/quota/tenant_limits.h).
ABSL_FLAG(double, org_request_rate, 20'000,
          "Calls per second one organization may make on this replica (a token bucket per "
          "organization); over it: RESOURCE_EXHAUSTED with QuotaFailure. 0: no limit. The "
          "default only stops a runaway client; see docs/operations.md to size it");
ABSL_FLAG(double, org_request_burst, 2'000,
          "Calls one organization may make at once after a quiet spell (the bucket's size)");
ABSL_FLAG(int, org_expensive_in_flight, 4,
          "Expensive calls (searches, lists, exports) one organization may have running at "
          "once on this replica; more: RESOURCE_EXHAUSTED with QuotaFailure. 0: no limit");
