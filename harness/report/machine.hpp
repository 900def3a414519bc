// What machine and build a result came from, for the JSON.
#pragma once

#include <nlohmann/json.hpp>

namespace billion::harness {

nlohmann::json machine_info();

}  // namespace billion::harness
