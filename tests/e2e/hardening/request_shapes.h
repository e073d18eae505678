// Requests built by reflection for the hardening tests: every string and
// repeated field a request type can carry (through nested messages), and a
// request with one chosen value at one of them, named as the API's
// BadRequest names a field ("clinic.address.lines[0]").
//
//   for (const FieldPath& f : StringFields(*GetPatientRequest::descriptor())) {
//     std::string body = WithString(*GetPatientRequest::descriptor(), f, "x")->SerializeAsString();
//   }
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace dermaflow::e2e {

struct FieldPath {
  std::vector<const google::protobuf::FieldDescriptor*> steps;  // request → field
  std::string name;  // "clinic.address.lines[0]"; repeated fields end in [0]

  const google::protobuf::FieldDescriptor& field() const { return *steps.back(); }
};

// Every string field reachable from `request`, down to `max_depth` nested
// messages (one element of each repeated message).
std::vector<FieldPath> StringFields(const google::protobuf::Descriptor& request, int max_depth = 4);

// Every repeated field reachable from `request`; their names carry no
// trailing [0] (a count is about the whole field).
std::vector<FieldPath> RepeatedFields(const google::protobuf::Descriptor& request,
                                      int max_depth = 4);

// A `request` with `value` at `path` (a string field) and nothing else set.
std::unique_ptr<google::protobuf::Message> WithString(const google::protobuf::Descriptor& request,
                                                      const FieldPath& path,
                                                      const std::string& value);

// A `request` whose repeated field at `path` has `count` default elements.
std::unique_ptr<google::protobuf::Message> WithCount(const google::protobuf::Descriptor& request,
                                                     const FieldPath& path, int count);

// A `request` with plausible values in its fields (ids, an IANA zone, short
// text, small numbers): the seed the fuzz test mutates.
std::unique_ptr<google::protobuf::Message> Plausible(const google::protobuf::Descriptor& request);

}  // namespace dermaflow::e2e
