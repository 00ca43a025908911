// Logging through spdlog's default logger. Text lines for people in dev and
// test, one JSON object per line in prod (or when log.format = "json").
// Use spdlog::info(...) etc. directly; this only sets the logger up.
#pragma once

#include "base/config.hpp"

namespace parley::base {

void init_logging(const Config& config);
// JSON-escapes `s` into `out` (used by the JSON log formatter; exposed for tests).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace parley::base
