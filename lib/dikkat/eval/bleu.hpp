// BLEU (Papineni et al. 2002): how many of a translation's word n-grams also occur in the
// reference, for n = 1..4, with a penalty for translations that are too short.
//
//     hypothesis   le chat est sur le tapis .
//     reference    le chat est sur la table .
//     1-grams   matched: le chat est sur .  (the second "le" is one too many)   p1 = 5/7
//     2-grams   matched: le chat, chat est, est sur                           p2 = 3/6
//     3-grams   matched: le chat est, chat est sur                            p3 = 2/5
//     4-grams   matched: le chat est sur                                      p4 = 1/4
//     same length, so BP = 1;   BLEU = (5/7 * 3/6 * 2/5 * 1/4)^(1/4) = (1/28)^(1/4) = 0.435
//
// Corpus BLEU adds the counts of all sentences first and divides once at the end; it is not the
// mean of the sentences' BLEUs (a short sentence weighs less than a long one). One reference per
// sentence; tokens are compared as they are (tokenize and lowercase both sides the same way).
// Reported as a fraction in [0, 1]; papers and sacreBLEU print it as a percentage (x 100).
//
//     eval::BleuStats stats;
//     for (std::size_t i = 0; i < hyps.size(); ++i) stats.add(hyps[i], refs[i]);
//     std::printf("BLEU %.3f  (p1 %.3f, BP %.3f)\n", stats.bleu(), stats.precision(1), stats.brevity_penalty());
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace dikkat::eval {

/// The counts corpus BLEU-4 is computed from, accumulated sentence by sentence.
///
/// For each n = 1..4, `matches[n-1]` adds up the *clipped* n-gram matches of every sentence:
/// an n-gram that occurs \f$ h \f$ times in the hypothesis and \f$ r \f$ times in the
/// reference counts \f$ \min(h, r) \f$ times (so "the the the" gets no credit for repeating
/// one correct word); `totals[n-1]` adds up the hypothesis's n-grams, \f$ \max(0, |\mathrm{hyp}| - n + 1) \f$.
struct BleuStats {
    static constexpr std::size_t max_n = 4;

    std::array<std::size_t, max_n> matches{};  ///< clipped n-gram matches; index n-1
    std::array<std::size_t, max_n> totals{};   ///< hypothesis n-grams; index n-1
    std::size_t hypothesis_length = 0;         ///< c, the hypotheses' tokens
    std::size_t reference_length = 0;          ///< r, the references' tokens

    /// Adds one sentence pair's counts.
    void add(const std::vector<std::string>& hypothesis, const std::vector<std::string>& reference);

    /// The modified n-gram precision \f$ p_n = \mathrm{matches}_n / \mathrm{totals}_n \f$ for
    /// n in 1..4 (0 when the hypotheses have no n-grams). Throws ValueError for another n.
    double precision(std::size_t n) const;

    /// \f$ \mathrm{BP} = 1 \f$ if \f$ c > r \f$, else \f$ e^{1 - r/c} \f$ (0 when \f$ c = 0 \f$):
    /// a translation shorter than its reference cannot win precision by leaving words out.
    double brevity_penalty() const;

    /// \f[ \mathrm{BLEU} = \mathrm{BP} \cdot \exp\Big(\frac{1}{4} \sum_{n=1}^{4} \log p_n\Big) \f]
    /// the geometric mean of the four precisions times the brevity penalty, in [0, 1].
    /// No smoothing: if any \f$ p_n = 0 \f$ (no 4-gram matches anywhere, say), BLEU is 0 —
    /// which is why BLEU is a corpus score and a single short sentence so often scores 0.
    double bleu() const;
};

/// Corpus BLEU-4 of `hypotheses[i]` against `references[i]` (BleuStats over all pairs).
/// Throws ValueError when the two lists differ in size.
double corpus_bleu(const std::vector<std::vector<std::string>>& hypotheses,
                   const std::vector<std::vector<std::string>>& references);

}  // namespace dikkat::eval
