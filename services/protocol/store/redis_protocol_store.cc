#include "services/protocol/store/redis_protocol_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/page_token_secret.h"
#include "common/redis/keys.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"
#include "services/protocol/domain/protocol_errors.h"
#include "services/protocol/lua/add_version_lua.h"
#include "services/protocol/lua/create_protocol_lua.h"
#include "services/protocol/lua/seed_catalog_lua.h"

namespace dermaflow::protocol {
namespace {

// Ids we hand out are [0-9a-z]; anything that could not be a key part (or
// any id at all of ours) is simply unknown.
bool IsWellFormedId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; });
}

absl::StatusOr<std::string> ProtocolKey(std::string_view org, std::string_view id) {
  return common::TenantKey(org, "protocol", id);
}

absl::StatusOr<std::string> IndexKey(std::string_view org) {
  return common::TenantKey(org, "protocols");
}

// Lexicographic order of members is ListProtocols' order: category, then id.
std::string IndexMember(const v1::Protocol& p) {
  return absl::StrFormat("%02d:%s", static_cast<int>(p.category()), p.id());
}

std::string CategoryPrefix(v1::ProtocolCategory category) {
  return absl::StrFormat("%02d:", static_cast<int>(category));
}

absl::StatusOr<v1::Protocol> Parse(const std::string& bytes) {
  v1::Protocol p;
  if (!p.ParseFromString(bytes)) return absl::InternalError("stored protocol does not parse");
  return p;
}

bool Matches(const v1::Protocol& p, const ProtocolQuery& q) {
  if (p.archived() && !q.show_archived) return false;
  if (q.origin != v1::PROTOCOL_ORIGIN_UNSPECIFIED && p.source().origin() != q.origin) {
    return false;
  }
  if (q.area != v1::TREATMENT_AREA_UNSPECIFIED &&
      std::find(p.areas().begin(), p.areas().end(), q.area) == p.areas().end()) {
    return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<v1::Protocol> RedisProtocolStore::Get(std::string_view org, std::string_view id,
                                                     int64_t version) {
  if (!IsWellFormedId(id)) return ProtocolNotFoundError(id);
  DF_ASSIGN_OR_RETURN(std::string key, ProtocolKey(org, id));
  const std::string field = version == 0 ? "latest" : absl::StrCat(version);
  DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command({"HMGET", key, field, "version"}));
  const auto& values = reply.elements();
  if (values.size() != 2 || values[1].is_nil()) return ProtocolNotFoundError(id);
  if (values[0].is_nil()) {
    DF_ASSIGN_OR_RETURN(int64_t latest, values[1].AsInt());
    return VersionNotFoundError(id, version, latest);
  }
  return Parse(values[0].str());
}

absl::StatusOr<ProtocolPage> RedisProtocolStore::List(std::string_view org,
                                                      const ProtocolQuery& query) {
  DF_ASSIGN_OR_RETURN(std::string index, IndexKey(org));
  std::string min = "-";
  std::string max = "+";
  if (query.category != v1::PROTOCOL_CATEGORY_UNSPECIFIED) {
    const std::string prefix = CategoryPrefix(query.category);
    min = "[" + prefix;
    max = "(" + prefix.substr(0, prefix.size() - 1) + ";";  // ';' sorts right after ':'
  }
  // Page tokens are bound to their filters, so `after` is inside the range.
  if (!query.after.empty()) min = "(" + query.after;

  ProtocolPage page;
  // Filters other than category need the protocol itself, so read in batches
  // until the page is full. Organizations have dozens of protocols, not
  // thousands, so this stays a round trip or two.
  const int batch = std::max(query.page_size, 50);
  while (true) {
    DF_ASSIGN_OR_RETURN(
        common::RedisReply members,
        redis_.Command({"ZRANGEBYLEX", index, min, max, "LIMIT", "0", absl::StrCat(batch)}));
    if (members.elements().empty()) return page;
    std::vector<std::vector<std::string>> reads;
    std::vector<std::string> member_names;
    for (const auto& m : members.elements()) {
      DF_ASSIGN_OR_RETURN(std::string member, m.AsString());
      const std::string id = member.substr(member.find(':') + 1);
      DF_ASSIGN_OR_RETURN(std::string key, ProtocolKey(org, id));
      reads.push_back({"HGET", key, "latest"});
      member_names.push_back(std::move(member));
    }
    DF_ASSIGN_OR_RETURN(std::vector<common::RedisReply> latest, redis_.Pipeline(reads));
    for (size_t i = 0; i < latest.size(); ++i) {
      if (latest[i].is_nil()) continue;
      DF_ASSIGN_OR_RETURN(v1::Protocol p, Parse(latest[i].str()));
      if (!Matches(p, query)) continue;
      page.protocols.push_back(std::move(p));
      if (static_cast<int>(page.protocols.size()) == query.page_size) {
        const bool more =
            i + 1 < latest.size() || static_cast<int>(members.elements().size()) == batch;
        if (more) page.next_after = member_names[i];
        return page;
      }
    }
    if (static_cast<int>(members.elements().size()) < batch) return page;
    min = "(" + member_names.back();
  }
}

absl::StatusOr<VersionPage> RedisProtocolStore::ListVersions(std::string_view org,
                                                             std::string_view id,
                                                             int64_t from_version, int page_size) {
  if (!IsWellFormedId(id)) return ProtocolNotFoundError(id);
  DF_ASSIGN_OR_RETURN(std::string key, ProtocolKey(org, id));
  DF_ASSIGN_OR_RETURN(common::RedisReply latest_reply, redis_.Command({"HGET", key, "version"}));
  if (latest_reply.is_nil()) return ProtocolNotFoundError(id);
  DF_ASSIGN_OR_RETURN(int64_t latest, latest_reply.AsInt());
  const int64_t first = from_version == 0 ? latest : std::min(from_version, latest);
  const int64_t last = std::max<int64_t>(1, first - page_size + 1);

  VersionPage page;
  if (first < 1) return page;
  std::vector<std::string> command = {"HMGET", key};
  for (int64_t v = first; v >= last; --v) command.push_back(absl::StrCat(v));
  DF_ASSIGN_OR_RETURN(common::RedisReply versions, redis_.Command(std::move(command)));
  for (const auto& bytes : versions.elements()) {
    if (bytes.is_nil()) return absl::InternalError("a protocol version is missing");
    DF_ASSIGN_OR_RETURN(v1::Protocol p, Parse(bytes.str()));
    page.versions.push_back(std::move(p));
  }
  page.next_version = last > 1 ? last - 1 : 0;
  return page;
}

absl::StatusOr<CreateResult> RedisProtocolStore::Create(std::string_view org,
                                                        const v1::Protocol& first,
                                                        std::string_view request_id,
                                                        std::string_view fingerprint) {
  DF_ASSIGN_OR_RETURN(std::string request_key,
                      common::TenantKey(org, "protocol_request", common::Sha1Hex(request_id)));
  DF_ASSIGN_OR_RETURN(std::string protocol_key, ProtocolKey(org, first.id()));
  DF_ASSIGN_OR_RETURN(std::string index, IndexKey(org));
  DF_ASSIGN_OR_RETURN(
      common::RedisReply reply,
      redis_.Eval(CreateProtocolScript(), {request_key, protocol_key, index},
                  {std::string(fingerprint), first.id(), IndexMember(first),
                   first.SerializeAsString(), absl::StrCat(absl::ToInt64Seconds(kRequestIdTtl))}));
  DF_ASSIGN_OR_RETURN(std::string record, reply.AsString());
  const size_t space = record.find(' ');
  if (space == std::string::npos) return absl::InternalError("bad request record");
  return CreateResult{record.substr(space + 1), record.substr(0, space)};
}

absl::Status RedisProtocolStore::AddVersion(std::string_view org, const v1::Protocol& next) {
  DF_ASSIGN_OR_RETURN(std::string key, ProtocolKey(org, next.id()));
  auto reply = redis_.Eval(
      AddVersionScript(), {key},
      {absl::StrCat(next.version() - 1), absl::StrCat(next.version()), next.SerializeAsString()});
  if (reply.ok()) return absl::OkStatus();
  if (common::IsRedisError(reply.status(), "NOT_FOUND")) return ProtocolNotFoundError(next.id());
  if (common::IsRedisError(reply.status(), "ETAG_MISMATCH")) {
    int64_t latest = 0;
    absl::string_view text = reply.status().message();
    (void)absl::SimpleAtoi(text.substr(text.find(' ') + 1), &latest);
    return EtagMismatchError(next.id(), latest);
  }
  return reply.status();
}

absl::StatusOr<std::vector<SeedResult>> RedisProtocolStore::Seed(
    std::string_view org, const std::vector<v1::Protocol>& first_versions, int mark_revision) {
  DF_ASSIGN_OR_RETURN(std::string catalog, common::TenantKey(org, "protocol_catalog"));
  DF_ASSIGN_OR_RETURN(std::string index, IndexKey(org));
  DF_ASSIGN_OR_RETURN(std::string revision, common::TenantKey(org, "protocol_catalog_revision"));
  std::vector<std::string> keys = {catalog, index, revision};
  std::vector<std::string> args = {absl::StrCat(mark_revision)};
  for (const auto& p : first_versions) {
    DF_ASSIGN_OR_RETURN(std::string key, ProtocolKey(org, p.id()));
    keys.push_back(std::move(key));
    args.insert(args.end(),
                {p.source().catalog_key(), p.id(), IndexMember(p), p.SerializeAsString()});
  }
  DF_ASSIGN_OR_RETURN(common::RedisReply reply,
                      redis_.Eval(SeedCatalogScript(), std::move(keys), std::move(args)));
  std::vector<SeedResult> results;
  for (const auto& entry : reply.elements()) {
    if (entry.elements().size() != 3) return absl::InternalError("bad seed_catalog reply");
    SeedResult r;
    DF_ASSIGN_OR_RETURN(r.catalog_key, entry.elements()[0].AsString());
    DF_ASSIGN_OR_RETURN(r.id, entry.elements()[1].AsString());
    DF_ASSIGN_OR_RETURN(int64_t created, entry.elements()[2].AsInt());
    r.created = created == 1;
    results.push_back(std::move(r));
  }
  return results;
}

absl::StatusOr<int> RedisProtocolStore::SeededRevision(std::string_view org) {
  DF_ASSIGN_OR_RETURN(std::string key, common::TenantKey(org, "protocol_catalog_revision"));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command({"GET", key}));
  if (reply.is_nil()) return 0;
  DF_ASSIGN_OR_RETURN(int64_t revision, reply.AsInt());
  return static_cast<int>(revision);
}

absl::StatusOr<std::string> RedisProtocolStore::PageTokenSecret() {
  return common::LoadPageTokenSecret(redis_, "protocol");
}

}  // namespace dermaflow::protocol
