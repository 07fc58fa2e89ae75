// A lesson's run folder (runs/<lesson>/ by default): where it writes summary.json,
// metrics.csv, its figures and its checkpoint — and the list of what it wrote, printed last.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dikkat::io {

class RunFolder {
  public:
    /// Creates `dir` (and its parents) if needed, and checks that a file can be written in it
    /// and that its disk has min_free_bytes free: throws IoError naming the folder and the
    /// problem if not — before a lesson trains, not when it saves.
    explicit RunFolder(std::string dir);
    /// The free space a run folder's disk must have: a lesson writes at most about 10 MB, and the
    /// resume file Ctrl-C saves (io/resume.hpp) up to about 70 MB (lesson 6's models and optimizer).
    static constexpr std::uintmax_t min_free_bytes = std::uintmax_t{256} << 20;
    /// The path of `file` inside the folder, remembered as written (with `what` it is).
    std::string file(const std::string& file, const std::string& what);
    const std::string& dir() const { return dir_; }
    /// "Wrote:" and one line per file: its path and what it is.
    std::string written() const;

  private:
    std::string dir_;
    std::vector<std::pair<std::string, std::string>> files_;
};

}  // namespace dikkat::io
