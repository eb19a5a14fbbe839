// almanac: the command-line client of almanacd's gRPC API (see client/cli.h).

#include <pwd.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "client/cli.h"
#include "common/environment.h"

int main(int argc, char** argv) {
  std::map<std::string, std::string> env = almanac::ProcessEnvironment();
  if (env.count("USER") == 0) {  // Not set under some service managers and containers.
    if (const passwd* pw = getpwuid(getuid()); pw != nullptr) env["USER"] = pw->pw_name;
  }
  return almanac::client::RunCli(std::vector<std::string>(argv + 1, argv + argc), env, std::cout,
                                 std::cerr);
}
