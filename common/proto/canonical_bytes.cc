#include "common/proto/canonical_bytes.h"

#include <memory>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace dermaflow::common {

std::string CanonicalBytesWithout(const google::protobuf::Message& message,
                                  std::initializer_list<const char*> cleared_fields) {
  std::unique_ptr<google::protobuf::Message> copy(message.New());
  copy->CopyFrom(message);
  for (const char* name : cleared_fields) {
    if (const auto* field = copy->GetDescriptor()->FindFieldByName(name)) {
      copy->GetReflection()->ClearField(copy.get(), field);
    }
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace dermaflow::common
