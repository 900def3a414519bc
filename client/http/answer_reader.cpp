// Reading one HTTP answer (see answer_reader.hpp).
#include "client/http/answer_reader.hpp"

#include <boost/beast/http/error.hpp>

#include <string>

namespace billion::client {

namespace http = boost::beast::http;

namespace {
// What one read asks for: a whole /get answer (about 150 bytes), or a good part of a page.
constexpr std::size_t kReadSize = std::size_t{16} << 10;
}  // namespace

bool AnswerReader::start(Exchange& e, std::uint64_t limit) {
    parser_.emplace(e.body, limit);
    ec_ = {};
    got_bytes_ = input_.size() > 0;  // pipelined: the bytes after the last answer begin this one
    return got_bytes_ && parse();
}

bool AnswerReader::parse() {
    if (!parser_) return true;  // no answer was started: nothing to parse into
    input_.consume(parser_->put(input_.data(), ec_));
    if (ec_ == http::error::need_more) ec_ = {};
    return ec_ || parser_->is_done();
}

boost::asio::mutable_buffer AnswerReader::space() {
    return input_.prepare(kReadSize);
}

bool AnswerReader::arrived(std::size_t n, bool eof) {
    if (!parser_) return true;  // no answer was started: nothing to read into
    input_.commit(n);
    if (eof) {
        // Nothing of an answer: the server closed the connection. Else the close ends an
        // answer without a length, or cuts one short.
        if (!got_bytes_)
            ec_ = http::error::end_of_stream;
        else
            parser_->put_eof(ec_);
        return true;
    }
    got_bytes_ = got_bytes_ || n > 0;
    return parse();
}

bool AnswerReader::finish(Exchange& e, bool more) {
    using T = Exchange::Transport;
    if (!parser_) {
        e.transport = T::reset;
        e.detail = "no answer was read";
        return false;
    }
    const AnswerParser& parser = *parser_;
    auto fail = [&](T t) {
        e.transport = t;
        input_.clear();
        return false;
    };
    if (ec_ == http::error::body_limit) return fail(T::too_large);
    if (ec_ == http::error::bad_content_length) return fail(T::bad_length);
    if (ec_ == http::error::end_of_stream) {
        e.detail = "closed before an answer";
        return fail(T::reset);
    }
    if (ec_ == http::error::partial_message) {
        if (parser.is_header_done())
            if (auto announced = parser.content_length())
                e.detail = "got " + std::to_string(e.body.size()) + " of " + std::to_string(*announced) + " bytes";
        return fail(T::truncated);
    }
    if (ec_) {
        e.detail = "malformed answer: " + ec_.message();
        return fail(T::reset);
    }
    // Nothing was asked beyond this answer: bytes after it mean the server sent more than
    // its Content-Length said. The body cannot be trusted, nor the connection. (With more
    // answers to come, the bytes are the next answer's.)
    if (!more && input_.size() > 0) {
        e.detail = std::to_string(input_.size()) + " bytes beyond the body";
        return fail(T::overlong);
    }
    e.status = parser.status();
    e.retry_after_s = parser.retry_after_s();
    return parser.keep_alive();
}

}  // namespace billion::client
