// The client layer's error convention. A request that fails is counted in the worker's
// WorkerStats at its stage and the run goes on; only a failure to set a worker up (its output
// directory, a pipe, a process) is thrown, as a StageError that names its stage, so the
// harness counts it where it belongs. Nothing in client/ prints.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "client/stats.hpp"

namespace billion::client {

class StageError : public std::runtime_error {
public:
    StageError(Stage stage, const std::string& message) : std::runtime_error(message), stage_(stage) {}
    Stage stage() const { return stage_; }

private:
    Stage stage_;
};

// The message of an exception a coroutine or a worker ended with, for stats.fail.
inline std::string describe(std::exception_ptr e) {
    try {
        if (e) std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "unknown error";
    }
    return "no error";
}

// The stage an exception belongs to: a StageError's own; anything else happened outside a
// request (a resolver, an allocation) and is counted under `otherwise`.
inline Stage stage_of(std::exception_ptr e, Stage otherwise) {
    try {
        if (e) std::rethrow_exception(e);
    } catch (const StageError& x) {
        return x.stage();
    } catch (...) {
        return otherwise;
    }
    return otherwise;
}

// Counts an exception a worker or coroutine ended with in stats, at its stage.
inline void count_exception(WorkerStats& stats, std::exception_ptr e, Stage otherwise, bool fatal = false) {
    stats.fail(stage_of(e, otherwise), describe(e), fatal);
}

}  // namespace billion::client
