// almanac: the command-line client of almanacd's gRPC API (see client/cli.h).

#include <pwd.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "client/cli.h"

extern char** environ;

int main(int argc, char** argv) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  if (env.count("USER") == 0) {  // Not set under some service managers and containers.
    if (const passwd* pw = getpwuid(getuid()); pw != nullptr) env["USER"] = pw->pw_name;
  }
  return almanac::client::RunCli(std::vector<std::string>(argv + 1, argv + argc), env, std::cout,
                                 std::cerr);
}
