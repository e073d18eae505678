#include "services/notification/domain/compact_record.h"

#include <openssl/sha.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "services/notification/stored_reminder.pb.h"

namespace dermaflow::notification {
namespace {

bool Parse(const std::string& record, internal::StoredReminder* data) {
  return !record.empty() &&
         data->ParseFromArray(record.data() + 1, static_cast<int>(record.size() - 1));
}

std::string Serialize(char tag, const internal::StoredReminder& data) {
  std::string out(1, tag);
  data.AppendToString(&out);
  return out;
}

}  // namespace

std::string RecordContext::Serialize() const {
  // The stored ids hold no '\n' (they are key parts and opaque service ids).
  return absl::StrCat(protocol_id, "\n", protocol_version, "\n", clinic_id);
}

std::optional<RecordContext> RecordContext::Parse(const std::string& bytes) {
  const size_t a = bytes.find('\n');
  const size_t b = a == std::string::npos ? a : bytes.find('\n', a + 1);
  if (b == std::string::npos) return std::nullopt;
  RecordContext c;
  c.protocol_id = bytes.substr(0, a);
  c.protocol_version = std::strtoll(bytes.substr(a + 1, b - a - 1).c_str(), nullptr, 10);
  c.clinic_id = bytes.substr(b + 1);
  return c;
}

uint64_t ContextKey(const RecordContext& context) {
  const std::string input =
      absl::StrCat("ctx/v1|", context.protocol_id.size(), ":", context.protocol_id, "|",
                   context.protocol_version, "|", context.clinic_id.size(), ":", context.clinic_id);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  uint64_t key;
  std::memcpy(&key, digest, sizeof(key));
  return key == 0 ? 1 : key;
}

CompactRecord Compact(const std::string& record) {
  CompactRecord out;
  internal::StoredReminder data;
  if (!Parse(record, &data) || data.context() != 0) {
    out.bytes = record;
    return out;
  }
  if (data.due_ms() == data.original_due_ms()) data.clear_due_ms();
  if (data.create_ms() == data.update_ms()) data.clear_create_ms();  // never changed since planned
  if (!data.protocol_id().empty() || !data.clinic_id().empty() || data.protocol_version() != 0) {
    out.context = RecordContext{data.protocol_id(), data.protocol_version(), data.clinic_id()};
    out.context_key = ContextKey(out.context);
    data.clear_protocol_id();
    data.clear_protocol_version();
    data.clear_clinic_id();
    data.set_context(out.context_key);
  }
  out.bytes = Serialize(record[0], data);
  return out;
}

absl::StatusOr<std::string> Expand(
    const std::string& stored,
    const std::function<absl::StatusOr<RecordContext>(uint64_t key)>& lookup) {
  internal::StoredReminder data;
  if (!Parse(stored, &data)) return absl::InternalError("notification store: unreadable record");
  if (data.due_ms() == 0) data.set_due_ms(data.original_due_ms());
  if (data.create_ms() == 0) data.set_create_ms(data.update_ms());
  if (data.context() != 0) {
    absl::StatusOr<RecordContext> context = lookup(data.context());
    if (!context.ok()) return context.status();
    data.set_protocol_id(context->protocol_id);
    data.set_protocol_version(context->protocol_version);
    data.set_clinic_id(context->clinic_id);
    data.clear_context();
  }
  return Serialize(stored[0], data);
}

}  // namespace dermaflow::notification
