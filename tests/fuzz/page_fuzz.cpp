// libFuzzer: the client's page parsers (the API's JSON, a bucket's XML) never crash on hostile
// bodies, and every name they keep obeys the name rule.
#include <cstddef>
#include <cstdint>

#include "client/http/names.hpp"
#include "client/http/page.hpp"
#include "client/s3/list_page.hpp"

namespace {

void check(const billion::client::Expected<billion::client::Page>& r) {
    if (r) {
        for (const auto& n : r.value().names)
            if (!billion::client::valid_name(n)) __builtin_trap();
        if (r.value().next && r.value().next->empty()) __builtin_trap();
    } else if (r.error().empty()) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    check(billion::client::parse_page(body));
    check(billion::client::s3::parse_list_page(body, "p/"));
    return 0;
}
