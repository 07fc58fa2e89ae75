// Lesson 6's results: the accuracy table of stage 3, its learning-curve figure and the language
// model's loss figure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <dikkat/io/metrics.hpp>

#include "stages.hpp"

namespace lesson6 {

/// Test accuracy of each method (transfer_frozen, transfer_unfrozen, no_adaptation, scratch) at
/// each N, one entry per seed.
class Results {
  public:
    /// The methods, in the order the table and the figure show them.
    static const std::vector<std::string>& methods();

    void add(const std::string& method, std::size_t N, const Accuracy& a) { runs_[method][N].push_back(a); }
    /// The first run of `method` at N, or NaN if there is none.
    double first(const std::string& method, std::size_t N) const;
    /// Mean accuracy of `method` at N over its seeds, or NaN if it did not run there.
    double mean(const std::string& method, std::size_t N) const;
    /// Prints the table (mean over seeds: all / negation / contrast, in %) and fills
    /// summary["accuracy"] and summary["subsets"].
    void report(const std::vector<std::size_t>& Ns, dikkat::io::JsonObject& summary) const;
    /// The figure: accuracy against N (log scale), a line per method.
    void plot(const std::vector<std::size_t>& Ns, const std::string& svg_path) const;

  private:
    const std::vector<Accuracy>* runs(const std::string& method, std::size_t N) const;
    std::map<std::string, std::map<std::size_t, std::vector<Accuracy>>> runs_;  // method -> N -> seeds
};

/// The language model's training loss, stage 1 then stage 2 (either may be empty), as an SVG.
void plot_lm_loss(const std::vector<double>& stage_1, const std::vector<double>& stage_2,
                  const std::string& svg_path);

}  // namespace lesson6
