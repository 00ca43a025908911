#pragma once
#include <string_view>

namespace parley::api {
// The text of server/src/api/schema.graphql, compiled in.
extern const std::string_view kSchemaSdl;
}  // namespace parley::api
