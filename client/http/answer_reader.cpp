// Reading one HTTP answer (see answer_reader.hpp).
#include "client/http/answer_reader.hpp"

#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>

#include <string>

namespace billion::client {

namespace http = boost::beast::http;

namespace {
// What one read asks for: a whole /get answer (about 150 bytes), or a good part of a page.
constexpr std::size_t kReadSize = std::size_t{16} << 10;
}  // namespace

namespace {
// Why the Content-Length in the head was refused: digits alone are a count, only too large
// (the parser takes up to 2^64 - 1); anything else is not a count.
std::string content_length_refused(std::string_view head) {
    constexpr std::string_view name = "\ncontent-length:";
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    const auto at = std::search(head.begin(), head.end(), name.begin(), name.end(),
                                [&](char a, char b) { return lower(a) == b; });
    if (at == head.end()) return kBadContentLength;
    std::string_view value = head.substr(static_cast<std::size_t>(at - head.begin()) + name.size());
    value = value.substr(0, value.find('\r'));
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits) return kBadContentLength;
    return "bad Content-Length header: " + std::string(value.substr(0, 40)) + (value.size() > 40 ? "..." : "") +
           " bytes is past any byte count (2^64 - 1)";
}
}  // namespace

bool AnswerReader::start(Exchange& e, std::uint64_t limit) {
    parser_.emplace(e.body, e.etag, limit);
    ec_ = {};
    got_bytes_ = input_.size() > 0;  // pipelined: the bytes after the last answer begin this one
    return got_bytes_ && parse();
}

bool AnswerReader::parse() {
    if (!parser_) return true;  // no answer was started: nothing to parse into
    const std::size_t used = parser_->put(input_.data(), ec_);
    // The head, read before it is consumed, says which way its Content-Length is wrong.
    if (ec_ == http::error::bad_content_length)
        refused_ = content_length_refused(
            std::string_view(static_cast<const char*>(input_.data().data()), input_.data().size()));
    input_.consume(used);
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
    if (ec_ == http::error::bad_content_length) {
        e.detail = refused_;
        return fail(T::bad_length);
    }
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
