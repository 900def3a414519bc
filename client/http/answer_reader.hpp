// One HTTP answer read from the bytes a client reads itself, for both clients: Beast's
// parser (answer_parser.hpp) fed from a buffer reused for every answer, and what the bytes
// mean for the exchange: complete, cut short, too large, a bad length, bytes beyond the body,
// or a close before any of it. The clients differ only in how they wait for bytes.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "client/http/answer_parser.hpp"
#include "client/http/retry.hpp"

namespace billion::client {

class AnswerReader {
public:
    // A new answer: its body goes to e.body (cleared), at most limit bytes of it. Bytes
    // already read after the last answer (pipelined answers) are parsed at once: true when
    // they hold all of this one.
    bool start(Exchange& e, std::uint64_t limit);
    // Where the next read puts its bytes.
    boost::asio::mutable_buffer space();
    // n bytes arrived in space(), or the peer closed (eof). True once the answer is over,
    // complete or not: then finish() says which.
    bool arrived(std::size_t n, bool eof);
    // Fills e: with a whole answer, status and Retry-After (transport ok); otherwise the
    // transport failure and its detail. False when the connection cannot carry another
    // request. more: further answers were asked for on this connection (pipelined), so bytes
    // after this one are theirs, not too many.
    bool finish(Exchange& e, bool more = false);
    // The read failed below HTTP (a reset, a timeout): what was read is dropped.
    void drop() { input_.clear(); }

private:
    bool parse();                         // what is buffered, into the answer: true once it is over
    boost::beast::flat_buffer input_;     // bytes read, not yet parsed (reused)
    std::optional<AnswerParser> parser_;  // one per answer, in place (Beast's parsers are one-shot)
    boost::beast::error_code ec_;
    bool got_bytes_ = false;
    std::string refused_;  // why a Content-Length was refused (read from the head)
};

}  // namespace billion::client
