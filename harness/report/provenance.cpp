// The commit and command line a result records (see provenance.hpp).
#include "harness/report/provenance.hpp"

#include <string_view>

namespace billion::harness {

extern const char* const kCodeCommit;  // generated at build time: build/generated/code_commit.cpp
extern const bool kCodeDirty;

namespace {

std::string& recorded() {
    static std::string line;
    return line;
}

// Single quotes around an argument the shell would split or expand.
std::string quoted(std::string_view arg) {
    if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                              "-_=.,/:+@%") == std::string_view::npos)
        return std::string(arg);
    std::string out = "'";
    for (char c : arg)
        if (c == '\'')
            out.append("'\\''");
        else
            out.push_back(c);
    return out + "'";
}

}  // namespace

void record_command(int argc, const char* const* argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (i == 0 && arg.find('/') != std::string_view::npos) arg.remove_prefix(arg.rfind('/') + 1);
        if (i) line.push_back(' ');
        line.append(quoted(arg));
    }
    recorded() = line;
}

const std::string& command_line() {
    return recorded();
}

nlohmann::json code_json() {
    return {{"commit", kCodeCommit}, {"dirty", kCodeDirty}};
}

std::string provenance_line() {
    std::string line = "code ";
    line.append(std::string_view(kCodeCommit).substr(0, 12));
    if (kCodeDirty) line.append(" (uncommitted changes)");
    if (!recorded().empty()) line.append(": ").append(recorded());
    return line;
}

}  // namespace billion::harness
