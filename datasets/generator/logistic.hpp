// Logistic regression for the dataset checks: p(positive | x) = sigmoid(w·x + b), trained by
// full-batch gradient descent on the mean cross-entropy plus (lambda/2)|w|². Features are
// sparse (index, value) lists, so a bag of words and a dense vector use the same code.
//
//     Logistic m = train_logistic(xs, ys, dim);     // ys: 1 positive, 0 negative
//     double pct = accuracy(m, test_x, test_y, keep);
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dikkat::gen {

using Features = std::vector<std::pair<std::size_t, double>>;

struct Logistic {
    std::vector<double> w;
    double b = 0.0;
    /// w·x + b: positive means "positive".
    double score(const Features& x) const;
};

Logistic train_logistic(const std::vector<Features>& xs, const std::vector<int>& ys, std::size_t dim,
                        double lambda = 0.01, int steps = 500, double lr = 0.5);

/// Percentage of the examples with keep[k] true that `m` labels right (0 if there are none).
double accuracy(const Logistic& m, const std::vector<Features>& xs, const std::vector<int>& ys,
                const std::vector<bool>& keep);

/// A dense vector as features: (0, v[0]), (1, v[1]), …
Features dense_features(const std::vector<double>& v);

/// Bag of words: one feature per word of the training texts, 1 if a text contains it.
class BagOfWords {
  public:
    explicit BagOfWords(const std::vector<std::string>& training_texts);
    Features features(const std::string& text) const;
    std::size_t size() const { return index_.size(); }

  private:
    std::map<std::string, std::size_t> index_;
};

}  // namespace dikkat::gen
