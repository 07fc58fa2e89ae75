#include "logistic.hpp"

#include <algorithm>
#include <cmath>

#include <dikkat/data/datasets.hpp>

namespace dikkat::gen {

double Logistic::score(const Features& x) const {
    double z = b;
    for (const auto& [i, v] : x) z += w[i] * v;
    return z;
}

Logistic train_logistic(const std::vector<Features>& xs, const std::vector<int>& ys, std::size_t dim,
                        double lambda, int steps, double lr) {
    Logistic m;
    m.w.assign(dim, 0.0);
    const double n = static_cast<double>(xs.size());
    std::vector<double> g(dim);
    for (int s = 0; s < steps; ++s) {
        std::fill(g.begin(), g.end(), 0.0);
        double gb = 0.0;
        for (std::size_t k = 0; k < xs.size(); ++k) {
            double p = 1.0 / (1.0 + std::exp(-m.score(xs[k])));
            double d = (p - static_cast<double>(ys[k])) / n;  // dL/dz
            for (const auto& [i, v] : xs[k]) g[i] += d * v;
            gb += d;
        }
        for (std::size_t i = 0; i < dim; ++i) m.w[i] -= lr * (g[i] + lambda * m.w[i]);
        m.b -= lr * gb;
    }
    return m;
}

double accuracy(const Logistic& m, const std::vector<Features>& xs, const std::vector<int>& ys,
                const std::vector<bool>& keep) {
    std::size_t right = 0, total = 0;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        if (!keep[k]) continue;
        ++total;
        right += ((m.score(xs[k]) > 0) == (ys[k] == 1));
    }
    return total ? 100.0 * static_cast<double>(right) / static_cast<double>(total) : 0.0;
}

Features dense_features(const std::vector<double>& v) {
    Features x;
    x.reserve(v.size());
    for (std::size_t k = 0; k < v.size(); ++k) x.emplace_back(k, v[k]);
    return x;
}

BagOfWords::BagOfWords(const std::vector<std::string>& training_texts) {
    for (const std::string& t : training_texts)
        for (const std::string& w : data::split_words(t)) index_.emplace(w, index_.size());
}

Features BagOfWords::features(const std::string& text) const {
    std::vector<std::size_t> ids;
    for (const std::string& w : data::split_words(text)) {
        auto it = index_.find(w);
        if (it != index_.end()) ids.push_back(it->second);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    Features x;
    for (std::size_t i : ids) x.emplace_back(i, 1.0);
    return x;
}

}  // namespace dikkat::gen
