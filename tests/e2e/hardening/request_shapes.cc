#include "tests/e2e/hardening/request_shapes.h"

#include "absl/strings/str_cat.h"

namespace dermaflow::e2e {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::Reflection;

std::unique_ptr<Message> New(const Descriptor& type) {
  return std::unique_ptr<Message>(MessageFactory::generated_factory()->GetPrototype(&type)->New());
}

// Calls `visit` for each field below `type`, depth first.
template <typename Visit>
void Walk(const Descriptor& type, const FieldPath& prefix, int depth, const Visit& visit) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    FieldPath path = prefix;
    path.steps.push_back(field);
    path.name = prefix.name.empty() ? field->name() : absl::StrCat(prefix.name, ".", field->name());
    visit(path);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth > 1 && !field->is_map()) {
      if (field->is_repeated()) path.name += "[0]";
      Walk(*field->message_type(), path, depth - 1, visit);
    }
  }
}

// The message that holds the last step of `path`, created on the way.
Message* Parent(Message* request, const FieldPath& path) {
  Message* m = request;
  for (size_t i = 0; i + 1 < path.steps.size(); ++i) {
    const FieldDescriptor* step = path.steps[i];
    const Reflection& r = *m->GetReflection();
    m = step->is_repeated() ? r.AddMessage(m, step) : r.MutableMessage(m, step);
  }
  return m;
}

std::string PlausibleString(const FieldDescriptor& field) {
  const std::string& name = field.name();
  if (name == "time_zone") return "Europe/Berlin";
  if (name == "locale") return "de-DE";
  if (name == "phone" || name == "contact_phone") return "+491701234567";
  if (name == "email" || name == "contact_email") return "anna@example.org";
  return name == "id" || name.ends_with("_id") ? "id_1" : "plausible text";
}

void FillPlausible(Message* m, int depth) {
  const Reflection& r = *m->GetReflection();
  const Descriptor& type = *m->GetDescriptor();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    if (f->is_map() || f->containing_oneof() != nullptr) continue;
    const bool repeated = f->is_repeated();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        repeated ? r.AddString(m, f, PlausibleString(*f)) : r.SetString(m, f, PlausibleString(*f));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        repeated ? r.AddInt32(m, f, 1) : r.SetInt32(m, f, 1);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        repeated ? r.AddInt64(m, f, 1) : r.SetInt64(m, f, 1);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        repeated ? r.AddBool(m, f, true) : r.SetBool(m, f, true);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int index = f->enum_type()->value_count() > 1 ? 1 : 0;
        const auto* value = f->enum_type()->value(index);
        repeated ? r.AddEnum(m, f, value) : r.SetEnum(m, f, value);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth > 1)
          FillPlausible(repeated ? r.AddMessage(m, f) : r.MutableMessage(m, f), depth - 1);
        break;
      default:
        break;  // unsigned and floating-point fields keep their zero
    }
  }
}

}  // namespace

std::vector<FieldPath> StringFields(const Descriptor& request, int max_depth) {
  std::vector<FieldPath> found;
  Walk(request, FieldPath{}, max_depth, [&](FieldPath path) {
    if (path.field().cpp_type() != FieldDescriptor::CPPTYPE_STRING) return;
    if (path.field().is_repeated()) path.name += "[0]";
    found.push_back(std::move(path));
  });
  return found;
}

std::vector<FieldPath> RepeatedFields(const Descriptor& request, int max_depth) {
  std::vector<FieldPath> found;
  Walk(request, FieldPath{}, max_depth, [&](const FieldPath& path) {
    if (path.field().is_repeated() && !path.field().is_map()) found.push_back(path);
  });
  return found;
}

std::unique_ptr<Message> WithString(const Descriptor& request, const FieldPath& path,
                                    const std::string& value) {
  std::unique_ptr<Message> m = New(request);
  Message* parent = Parent(m.get(), path);
  const Reflection& r = *parent->GetReflection();
  if (path.field().is_repeated()) {
    r.AddString(parent, &path.field(), value);
  } else {
    r.SetString(parent, &path.field(), value);
  }
  return m;
}

std::unique_ptr<Message> WithCount(const Descriptor& request, const FieldPath& path, int count) {
  std::unique_ptr<Message> m = New(request);
  Message* parent = Parent(m.get(), path);
  const Reflection& r = *parent->GetReflection();
  const FieldDescriptor* f = &path.field();
  for (int i = 0; i < count; ++i) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r.AddString(parent, f, "x");
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        r.AddMessage(parent, f);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r.AddEnumValue(parent, f, 0);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r.AddInt32(parent, f, 0);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.AddInt64(parent, f, 0);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.AddBool(parent, f, false);
        break;
      default:
        break;  // our requests have no unsigned or floating-point fields
    }
  }
  return m;
}

std::unique_ptr<Message> Plausible(const Descriptor& request) {
  std::unique_ptr<Message> m = New(request);
  FillPlausible(m.get(), 3);
  return m;
}

}  // namespace dermaflow::e2e
