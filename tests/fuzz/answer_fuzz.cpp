// libFuzzer: the clients' answer reader (Beast's parser and billion's checks around it) never
// crashes on whatever a server sends, however the bytes are split across reads, and a whole
// answer it accepts never has more body than the limit it was given.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "client/http/answer_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint64_t limit = std::uint64_t{data[0]} * 8;  // body limits 0..2040
    const std::size_t chunk = data[1] ? data[1] : size;      // bytes a read returns at most
    data += 2;
    size -= 2;
    billion::client::Exchange e;
    billion::client::AnswerReader reader;
    std::size_t pos = 0;
    for (bool over = reader.start(e, limit); !over;) {
        auto space = reader.space();
        const std::size_t n = std::min({space.size(), size - pos, chunk});
        if (n == 0) {
            reader.arrived(0, true);  // the server closed
            break;
        }
        std::memcpy(space.data(), data + pos, n);
        pos += n;
        over = reader.arrived(n, false);
    }
    reader.finish(e);
    if (e.transport == billion::client::Exchange::Transport::ok && e.body.size() > limit) __builtin_trap();
    return 0;
}
