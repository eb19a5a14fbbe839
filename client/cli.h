#pragma once

// The `almanac` command line: parses arguments, calls almanacd's gRPC API through
// CatalogClient, and prints the answer as text (or as JSON with --json).
//
//   almanac [--server HOST:PORT] [--catalog NAME] [--json] COMMAND [ARGS...]
//
// Run `almanac help` for the commands. Exit codes: 0 success, 1 the server answered an error
// (or could not be reached), 2 a usage error.

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace almanac::client {

// Runs one command. `env` supplies ALMANAC_SERVER, ALMANAC_PRINCIPAL and USER.
int RunCli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err);

// The help text.
std::string CliUsage();

}  // namespace almanac::client
