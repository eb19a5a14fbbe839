#pragma once

// Debian 12's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0: absl::string_view is its
// own type and does not convert from std::string_view. Storage APIs take std::string_view;
// AsAbsl adapts one where an Abseil function (StrCat, SimpleAtoi, ...) wants absl::string_view.

#include <string_view>

#include "absl/strings/string_view.h"

namespace almanac {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace almanac
