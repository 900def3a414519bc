// libFuzzer: the client's page parser never crashes on hostile bodies, and every name it
// keeps obeys the name rule.
#include <cstddef>
#include <cstdint>

#include "client/http/names.hpp"
#include "client/http/page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto r = billion::client::parse_page(std::string_view(reinterpret_cast<const char*>(data), size));
    if (r) {
        for (const auto& n : r.value().names)
            if (!billion::client::valid_name(n)) __builtin_trap();
        if (r.value().next && r.value().next->empty()) __builtin_trap();
    } else if (r.error().empty()) {
        __builtin_trap();
    }
    return 0;
}
