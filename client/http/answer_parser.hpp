// One HTTP answer parsed by Beast's basic_parser, fed bytes the caller read itself, keeping
// only what the client checks: status, Retry-After, keep-alive, and the body, appended to a
// string the caller reuses. Beast's response_parser<string_body> would also build a header
// (one allocation per field) and a new body string for every answer; this one allocates
// nothing once the body string has grown to a file's size (the lean client, issue 20).
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

#include <optional>
#include <string>

#include "client/http/retry.hpp"

namespace billion::client {

class AnswerParser : public boost::beast::http::basic_parser<false> {
public:
    // body: where the answer's body goes (cleared here); limit: the most body bytes taken.
    // etag: where the ETag header goes (cleared here).
    AnswerParser(std::string& body, std::string& etag, std::uint64_t limit) : body_(body), etag_(etag), limit_(limit) {
        body_.clear();
        etag_.clear();
        body_limit(limit);
        eager(true);  // one put() parses the header and as much body as it is given
    }
    unsigned status() const { return status_; }
    std::optional<unsigned> retry_after_s() const { return retry_after_s_; }

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;
    void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}
    void on_response_impl(int code, string_view, int, error_code&) override { status_ = static_cast<unsigned>(code); }
    void on_field_impl(boost::beast::http::field f, string_view, string_view value, error_code&) override {
        if (f == boost::beast::http::field::retry_after)
            retry_after_s_ = parse_retry_after(std::string_view(value.data(), value.size()));
        else if (f == boost::beast::http::field::etag)
            etag_.assign(value.data(), value.size());
    }
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override {
        // Beast 1.74's eager parse comes here even after it found the length over the limit
        // (found by tests/fuzz/answer_fuzz.cpp): refused again before anything is reserved.
        if (length && *length > limit_) {
            ec = boost::beast::http::error::body_limit;
            return;
        }
        if (length) body_.reserve(static_cast<std::size_t>(*length));  // a file's size, once
    }
    std::size_t on_body_impl(string_view s, error_code&) override {
        body_.append(s.data(), s.size());
        return s.size();
    }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view s, error_code&) override {
        body_.append(s.data(), s.size());  // a foreign server's chunked answer
        return s.size();
    }
    void on_finish_impl(error_code&) override {}

    std::string& body_;
    std::string& etag_;
    std::uint64_t limit_;
    unsigned status_ = 0;
    std::optional<unsigned> retry_after_s_;
};

}  // namespace billion::client
