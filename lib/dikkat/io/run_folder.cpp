#include <dikkat/io/run_folder.hpp>

#include <filesystem>

#include <dikkat/error.hpp>

namespace dikkat::io {

RunFolder::RunFolder(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec || !std::filesystem::is_directory(dir_))
        throw IoError("cannot create the run folder " + dir_ + ": " +
                      (ec ? ec.message() : std::string("a file of that name exists")));
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
