#include <dikkat/eval/bleu.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <dikkat/error.hpp>

namespace dikkat::eval {

namespace {

using NgramCounts = std::map<std::vector<std::string>, std::size_t>;

// How often each n-gram (n consecutive tokens) occurs in `tokens`.
NgramCounts count_ngrams(const std::vector<std::string>& tokens, std::size_t n) {
    NgramCounts counts;
    for (std::size_t i = 0; i + n <= tokens.size(); ++i)
        ++counts[std::vector<std::string>(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                          tokens.begin() + static_cast<std::ptrdiff_t>(i + n))];
    return counts;
}

}  // namespace

void BleuStats::add(const std::vector<std::string>& hypothesis, const std::vector<std::string>& reference) {
    hypothesis_length += hypothesis.size();
    reference_length += reference.size();
    for (std::size_t n = 1; n <= max_n; ++n) {
        const NgramCounts hyp = count_ngrams(hypothesis, n), ref = count_ngrams(reference, n);
        for (const auto& [ngram, h] : hyp) {
            const auto it = ref.find(ngram);
            if (it != ref.end()) matches[n - 1] += std::min(h, it->second);  // clipped
        }
        if (hypothesis.size() >= n) totals[n - 1] += hypothesis.size() - n + 1;
    }
}

double BleuStats::precision(std::size_t n) const {
    if (n < 1 || n > max_n)
        throw ValueError("BleuStats::precision: n is " + std::to_string(n) + "; BLEU-4 has n = 1, 2, 3 or 4");
    return totals[n - 1] == 0 ? 0.0 : double(matches[n - 1]) / double(totals[n - 1]);
}

double BleuStats::brevity_penalty() const {
    if (hypothesis_length == 0) return 0.0;
    if (hypothesis_length > reference_length) return 1.0;
    return std::exp(1.0 - double(reference_length) / double(hypothesis_length));
}

double BleuStats::bleu() const {
    double log_sum = 0.0;
    for (std::size_t n = 1; n <= max_n; ++n) {
        const double p = precision(n);
        if (p == 0.0) return 0.0;  // no smoothing: log 0 = -inf, so BLEU is 0
        log_sum += std::log(p);
    }
    return brevity_penalty() * std::exp(log_sum / double(max_n));
}

double corpus_bleu(const std::vector<std::vector<std::string>>& hypotheses,
                   const std::vector<std::vector<std::string>>& references) {
    if (hypotheses.size() != references.size())
        throw ValueError("corpus_bleu: " + std::to_string(hypotheses.size()) + " hypotheses but " +
                         std::to_string(references.size()) +
                         " references; each hypothesis needs one reference");
    BleuStats stats;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) stats.add(hypotheses[i], references[i]);
    return stats.bleu();
}

}  // namespace dikkat::eval
