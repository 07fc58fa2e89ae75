#include <dikkat/atomic_file.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dikkat/error.hpp>

namespace dikkat {

namespace {

std::string errno_text() { return std::strerror(errno); }

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
    // mkstemp replaces the X's with a unique suffix and creates the file (no race with others).
    std::string tmp = path + ".tmp-XXXXXX";
    std::vector<char> name(tmp.begin(), tmp.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw IoError(path + ": cannot create a temporary file next to it: " + errno_text());
    tmp = name.data();

    const auto fail = [&](const std::string& what) {
        const std::string reason = errno_text();
        ::close(fd);
        ::unlink(tmp.c_str());
        throw IoError(path + ": " + what + ": " + reason);
    };
    static_cast<void>(
        ::fchmod(fd, 0644));  // mkstemp makes the file private (0600); a checkpoint is for reading
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write failed");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("fsync failed");
    if (::close(fd) != 0) {
        const std::string reason = errno_text();
        ::unlink(tmp.c_str());
        throw IoError(path + ": close failed: " + reason);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = errno_text();
        ::unlink(tmp.c_str());
        throw IoError(path + ": cannot rename the temporary file into place: " + reason);
    }
    // Make the rename itself durable: sync the directory entry (best effort).
    const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        static_cast<void>(::fsync(dir));
        ::close(dir);
    }
}

}  // namespace dikkat
