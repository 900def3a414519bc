// Whole reads and writes on a file descriptor, retried across EINTR and short transfers.
#pragma once

#include <cstddef>
#include <string_view>

namespace billion::client {

// False (errno set) when the descriptor fails before every byte is written.
bool write_all(int fd, std::string_view bytes);
// False at end of file or on an error before n bytes arrived.
bool read_exact(int fd, void* out, std::size_t n);

}  // namespace billion::client
