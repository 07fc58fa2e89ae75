#include <dikkat/io/run_folder.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <dikkat/error.hpp>

namespace dikkat::io {

RunFolder::RunFolder(std::string dir) : dir_(std::move(dir)) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_))
        throw IoError("cannot create the run folder " + dir_ + ": " +
                      (ec ? ec.message() : std::string("a file of that name exists")) +
                      " (choose another with --out)");
    // Before any work, not after it: a folder the run cannot write in, or a disk too full for
    // its checkpoint, would lose every minute of training at the first file it writes.
    const fs::path probe = fs::path(dir_) / ".dikkat-write-test";
    int error = 0;
    {
        errno = 0;
        std::ofstream out(probe);
        if (!out.is_open())
            error = errno ? errno : EACCES;
        else if (!(out << "x").flush())
            error = errno ? errno : EIO;
    }
    fs::remove(probe, ec);
    if (error)
        throw IoError("cannot write in the run folder " + dir_ + ": " + std::strerror(error) +
                      " (choose another with --out)");
    const fs::space_info space = fs::space(dir_, ec);
    if (!ec && space.available < min_free_bytes)
        throw IoError("the disk of the run folder " + dir_ + " has " + std::to_string(space.available >> 20) +
                      " MB free; a run needs " + std::to_string(min_free_bytes >> 20) +
                      " MB free (it writes about 10 MB: checkpoints, figures): free some space or choose "
                      "another folder with --out");
}

std::string RunFolder::file(const std::string& file, const std::string& what) {
    std::string path = (std::filesystem::path(dir_) / file).string();
    for (auto& [p, w] : files_)
        if (p == path) return path;
    files_.emplace_back(path, what);
    return path;
}

std::string RunFolder::written() const {
    std::size_t width = 0;
    for (const auto& f : files_) width = std::max(width, f.first.size());
    std::string s = "Wrote:\n";
    for (const auto& [path, what] : files_)
        s += "  " + path + std::string(width - path.size() + 2, ' ') + what + "\n";
    return s;
}

}  // namespace dikkat::io
