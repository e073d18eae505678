// Flags every service binary shares (each also readable as DERMAFLOW_<NAME>).
// Service-specific flags (e.g. --patient_addr) live in that service's main.cc.
#pragma once

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, metrics_listen);
ABSL_DECLARE_FLAG(std::string, health_listen);
ABSL_DECLARE_FLAG(std::string, redis);
ABSL_DECLARE_FLAG(std::string, redis_password);
ABSL_DECLARE_FLAG(int, redis_durable_replicas);
ABSL_DECLARE_FLAG(absl::Duration, redis_durable_timeout);
ABSL_DECLARE_FLAG(int, redis_pool_size);
ABSL_DECLARE_FLAG(std::string, auth);
ABSL_DECLARE_FLAG(std::string, jwt_hs256_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_rs256_public_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_jwks_url);
ABSL_DECLARE_FLAG(std::string, jwt_jwks_file);
ABSL_DECLARE_FLAG(int64_t, jwt_cache_size);
ABSL_DECLARE_FLAG(absl::Duration, jwt_cache_ttl);
ABSL_DECLARE_FLAG(std::string, jwt_jwks_ca_file);
ABSL_DECLARE_FLAG(absl::Duration, jwt_jwks_refresh_interval);
ABSL_DECLARE_FLAG(absl::Duration, jwt_jwks_min_refresh_interval);
ABSL_DECLARE_FLAG(std::string, jwt_org_claim);
ABSL_DECLARE_FLAG(std::string, jwt_roles_claim);
ABSL_DECLARE_FLAG(std::string, service_token_public_key_file);
ABSL_DECLARE_FLAG(std::string, service_token_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_issuer);
ABSL_DECLARE_FLAG(std::string, jwt_audience);
ABSL_DECLARE_FLAG(std::string, dev_organization);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, tls_client_ca);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(absl::Duration, drain_timeout);
ABSL_DECLARE_FLAG(int, max_receive_message_bytes);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(int64_t, event_stream_max_len);
ABSL_DECLARE_FLAG(double, org_request_rate);
ABSL_DECLARE_FLAG(double, org_request_burst);
ABSL_DECLARE_FLAG(int, org_expensive_in_flight);
