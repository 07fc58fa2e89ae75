// A lesson's run folder (runs/<lesson>/ by default): where it writes summary.json,
// metrics.csv, its figures and its checkpoint — and the list of what it wrote, printed last.
#pragma once

#include <string>
#include <vector>

namespace dikkat::io {

class RunFolder {
  public:
    /// Creates `dir` (and its parents) if needed. Throws IoError naming it if it cannot.
    explicit RunFolder(std::string dir);
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
