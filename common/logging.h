#pragma once

// One-line-per-event logging to stderr, human-readable by default and JSON on request.
// Thread-safe: each line is written with a single write under a mutex.

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace almanac {

enum class LogLevel { kDebug, kInfo, kWarning, kError };
enum class LogFormat { kText, kJson };

void SetLogFormat(LogFormat format);
void SetMinLogLevel(LogLevel level);

using LogField = std::pair<absl::string_view, std::string>;

// Writes one line: the time, the level, `message`, then each field as key=value (text) or as
// a JSON member.
void Log(LogLevel level, absl::string_view message, std::initializer_list<LogField> fields = {});

inline void LogInfo(absl::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, message, fields);
}
inline void LogWarning(absl::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarning, message, fields);
}
inline void LogError(absl::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, message, fields);
}

// Logs one finished request of either front end as a "request" line carrying the method, the
// claimed principal, the peer, the duration in milliseconds, the outcome ("ok" or "error") and,
// when not empty, the error text.
void LogRequest(absl::string_view method, absl::string_view principal, absl::string_view peer,
                double elapsed_ms, absl::string_view outcome, absl::string_view error);

}  // namespace almanac
