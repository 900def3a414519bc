// Where a result came from: the commit of the code that measured it (cmake/code_commit.cmake)
// and the command line, so a kept result can be redone and told stale (scripts/reference --stale).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace billion::harness {

// Called once by main, before any command runs.
void record_command(int argc, const char* const* argv);
// "billion compare --files 100k": argv with the program's folder left off, quoted for a shell.
const std::string& command_line();
// {"commit": "<40 hex>", "dirty": false}; dirty: the measured code differed from the commit.
nlohmann::json code_json();
// One line under a table: "code 1a2b3c4d5e6f (uncommitted changes): billion compare ...".
std::string provenance_line();

}  // namespace billion::harness
