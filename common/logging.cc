#include "common/logging.h"
#include "absl/strings/string_view.h"

#include <unistd.h>

#include <atomic>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace almanac {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};
std::atomic<LogLevel> g_min_level{LogLevel::kInfo};
std::mutex g_write_mutex;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

void AppendJsonString(std::string& out, absl::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

// Quotes a text-format value only when it contains spaces, quotes or '='.
void AppendTextValue(std::string& out, absl::string_view s) {
  if (s.find_first_of(" \"=\n\t") == absl::string_view::npos && !s.empty()) {
    out.append(s.data(), s.size());
  } else {
    AppendJsonString(out, s);
  }
}

}  // namespace

void SetLogFormat(LogFormat format) { g_format = format; }
void SetMinLogLevel(LogLevel level) { g_min_level = level; }

void Log(LogLevel level, absl::string_view message, std::initializer_list<LogField> fields) {
  if (level < g_min_level.load()) return;
  std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string line;
  if (g_format.load() == LogFormat::kJson) {
    line = absl::StrCat("{\"time\":\"", time, "\",\"level\":\"", LevelName(level), "\",\"msg\":");
    AppendJsonString(line, message);
    for (const auto& [key, value] : fields) {
      line.push_back(',');
      AppendJsonString(line, key);
      line.push_back(':');
      AppendJsonString(line, value);
    }
    line += "}\n";
  } else {
    line = absl::StrCat(time, " ", LevelName(level), " ", message);
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, " ", key, "=");
      AppendTextValue(line, value);
    }
    line.push_back('\n');
  }
  std::lock_guard<std::mutex> lock(g_write_mutex);
  size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
}

void LogRequest(absl::string_view method, absl::string_view principal, absl::string_view peer,
                double elapsed_ms, absl::string_view outcome, absl::string_view error) {
  std::string ms = absl::StrFormat("%.3f", elapsed_ms);
  if (error.empty()) {
    LogInfo("request", {{"method", std::string(method)},
                        {"principal", std::string(principal)},
                        {"peer", std::string(peer)},
                        {"ms", ms},
                        {"outcome", std::string(outcome)}});
  } else {
    LogInfo("request", {{"method", std::string(method)},
                        {"principal", std::string(principal)},
                        {"peer", std::string(peer)},
                        {"ms", ms},
                        {"outcome", std::string(outcome)},
                        {"error", std::string(error)}});
  }
}

}  // namespace almanac
