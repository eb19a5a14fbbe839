#pragma once

// The process environment as a map, for the binaries' main() functions; libraries take such a
// map as an argument instead of reading the environment, so that tests can pass their own.

#include <map>
#include <string>

namespace almanac {

// Every "NAME=value" entry of the process environment.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace almanac
