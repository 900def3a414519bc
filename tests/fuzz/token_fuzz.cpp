// libFuzzer: page-token decoding never crashes, and accepts only the tokens it hands out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mock_server/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    billion::mock::Catalog c{.files = 123457, .page_size = 1000};
    std::string_view token(reinterpret_cast<const char*>(data), size);
    if (auto off = c.decode(token)) {
        // Whatever decodes is a page start inside the catalog, and exactly the server's token.
        if (*off == 0 || *off >= c.files || *off % c.page_size != 0 || c.token(*off) != token) __builtin_trap();
    }
    return 0;
}
