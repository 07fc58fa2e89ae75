#include <doctest/doctest.h>

#include <cmath>

#include <dikkat/error.hpp>
#include <dikkat/eval/bleu.hpp>

#include "../support/error_of.hpp"
#include "words.hpp"

using namespace dikkat;
using eval::BleuStats;

namespace {

BleuStats stats_of(const std::string& hypothesis, const std::string& reference) {
    BleuStats s;
    s.add(words(hypothesis), words(reference));
    return s;
}

}  // namespace

TEST_CASE("BLEU of a perfect translation is 1") {
    // 7 tokens: every n-gram matches (p1 = 7/7, p2 = 6/6, p3 = 5/5, p4 = 4/4), c = r so BP = 1.
    const BleuStats s = stats_of("le chat dort sur le tapis .", "le chat dort sur le tapis .");
    CHECK(s.matches == std::array<std::size_t, 4>{7, 6, 5, 4});
    CHECK(s.totals == std::array<std::size_t, 4>{7, 6, 5, 4});
    CHECK(s.brevity_penalty() == 1.0);
    CHECK(s.bleu() == doctest::Approx(1.0));
}

TEST_CASE("BLEU of the example at the top of bleu.hpp is (1/28)^(1/4)") {
    // hyp le chat est sur le tapis .   ref le chat est sur la table .
    // p1 = 5/7 (the second "le" is clipped: 2 in hyp, 1 in ref), p2 = 3/6, p3 = 2/5, p4 = 1/4;
    // c = r = 7, BP = 1; BLEU = (5/7 * 1/2 * 2/5 * 1/4)^(1/4) = (1/28)^(1/4) = 0.434721
    const BleuStats s = stats_of("le chat est sur le tapis .", "le chat est sur la table .");
    CHECK(s.matches == std::array<std::size_t, 4>{5, 3, 2, 1});
    CHECK(s.totals == std::array<std::size_t, 4>{7, 6, 5, 4});
    CHECK(s.precision(1) == doctest::Approx(5.0 / 7.0));
    CHECK(s.precision(4) == doctest::Approx(0.25));
    CHECK(s.bleu() == doctest::Approx(0.434721).epsilon(1e-6));
}

TEST_CASE("clipping: repeating a correct word earns it only as often as the reference has it") {
    // Papineni et al.'s example: "the" occurs 7 times in the hypothesis, twice in the reference,
    // so it matches min(7, 2) = 2 times: p1 = 2/7 (unclipped it would be 7/7). No bigram
    // "the the" in the reference: p2 = 0/6, so BLEU = 0. c = 7 > r = 6: BP = 1.
    const BleuStats s = stats_of("the the the the the the the", "the cat is on the mat");
    CHECK(s.matches[0] == 2);
    CHECK(s.totals[0] == 7);
    CHECK(s.precision(1) == doctest::Approx(2.0 / 7.0));
    CHECK(s.precision(2) == 0.0);
    CHECK(s.brevity_penalty() == 1.0);
    CHECK(s.bleu() == 0.0);
}

TEST_CASE("a hypothesis shorter than its reference pays the brevity penalty") {
    // hyp le chat dort sur le tapis (6)   ref le chat dort sur le tapis . (7)
    // Every hypothesis n-gram is in the reference: p1..p4 = 1 (6/6, 5/5, 4/4, 3/3); precision
    // alone cannot see the missing full stop. c = 6 <= r = 7: BP = exp(1 - 7/6) = exp(-1/6)
    // = 0.846482, and BLEU = BP * 1.
    const BleuStats s = stats_of("le chat dort sur le tapis", "le chat dort sur le tapis .");
    CHECK(s.precision(1) == 1.0);
    CHECK(s.precision(4) == 1.0);
    CHECK(s.brevity_penalty() == doctest::Approx(0.846482).epsilon(1e-6));
    CHECK(s.bleu() == doctest::Approx(0.846482).epsilon(1e-6));
}

TEST_CASE("no 4-gram match anywhere makes BLEU 0 however good the other precisions are") {
    // hyp le chat noir dort bien   ref le chat noir mange bien
    // p1 = 4/5, p2 = 2/4 (le chat, chat noir), p3 = 1/3 (le chat noir), p4 = 0/2: log 0 = -inf.
    const BleuStats s = stats_of("le chat noir dort bien", "le chat noir mange bien");
    CHECK(s.matches == std::array<std::size_t, 4>{4, 2, 1, 0});
    CHECK(s.totals == std::array<std::size_t, 4>{5, 4, 3, 2});
    CHECK(s.bleu() == 0.0);
}

TEST_CASE("corpus BLEU pools the counts, it is not the mean of the sentence BLEUs") {
    // A: le chat dort .  vs  le chat dort .     perfect: sentence BLEU 1
    // B: le chien dort   vs  le chien mange .   3 tokens, no 4-gram at all: sentence BLEU 0
    // Mean of the two: 0.5. Pooled counts (A + B):
    //   p1 = (4 + 2)/(4 + 3) = 6/7    p2 = (3 + 1)/(3 + 2) = 4/5
    //   p3 = (2 + 0)/(2 + 1) = 2/3    p4 = (1 + 0)/(1 + 0) = 1
    //   c = 7, r = 8: BP = exp(1 - 8/7) = exp(-1/7) = 0.866878
    //   BLEU = 0.866878 * (6/7 * 4/5 * 2/3 * 1)^(1/4) = 0.866878 * (16/35)^(1/4) = 0.712805
    BleuStats a, b, corpus;
    a.add(words("le chat dort ."), words("le chat dort ."));
    b.add(words("le chien dort"), words("le chien mange ."));
    CHECK(a.bleu() == doctest::Approx(1.0));
    CHECK(b.bleu() == 0.0);
    corpus.add(words("le chat dort ."), words("le chat dort ."));
    corpus.add(words("le chien dort"), words("le chien mange ."));
    CHECK(corpus.brevity_penalty() == doctest::Approx(0.866878).epsilon(1e-6));
    CHECK(corpus.bleu() == doctest::Approx(0.712805).epsilon(1e-6));
    CHECK(eval::corpus_bleu({words("le chat dort ."), words("le chien dort")},
                            {words("le chat dort ."), words("le chien mange .")}) == corpus.bleu());
}

TEST_CASE("an empty hypothesis scores 0, and so does an empty corpus") {
    // c = 0: no n-grams (every p_n is 0/0, reported as 0) and BP is 0 by definition.
    const BleuStats s = stats_of("", "le chat dort .");
    CHECK(s.hypothesis_length == 0);
    CHECK(s.reference_length == 4);
    CHECK(s.precision(1) == 0.0);
    CHECK(s.brevity_penalty() == 0.0);
    CHECK(s.bleu() == 0.0);
    CHECK(eval::corpus_bleu({}, {}) == 0.0);
}

TEST_CASE("corpus_bleu says how many hypotheses and references it got when they differ") {
    CHECK(error_of<ValueError>([] { eval::corpus_bleu({words("le chat")}, {}); }) ==
          "corpus_bleu: 1 hypotheses but 0 references; each hypothesis needs one reference");
}

TEST_CASE("precision names the n it cannot report") {
    const BleuStats s;
    CHECK(error_of<ValueError>([&] { s.precision(5); }) ==
          "BleuStats::precision: n is 5; BLEU-4 has n = 1, 2, 3 or 4");
    CHECK_THROWS_AS(s.precision(0), ValueError);
}

// ---- An independent check --------------------------------------------------------------------
// The library counts n-grams in maps and clips with min(h, r). Here each hypothesis n-gram
// instead claims the first unclaimed equal n-gram of the reference, one by one — the same
// clipped count by a different road — and BLEU is BP * (p1 p2 p3 p4)^(1/4) with std::pow.

namespace {

struct BruteForce {
    std::size_t matches[4] = {0, 0, 0, 0}, totals[4] = {0, 0, 0, 0}, c = 0, r = 0;

    void add(const std::vector<std::string>& h, const std::vector<std::string>& ref) {
        c += h.size();
        r += ref.size();
        for (std::size_t n = 1; n <= 4; ++n) {
            std::vector<bool> claimed(ref.size(), false);
            for (std::size_t i = 0; i + n <= h.size(); ++i) {
                ++totals[n - 1];
                for (std::size_t j = 0; j + n <= ref.size(); ++j) {
                    bool same = !claimed[j];
                    for (std::size_t k = 0; k < n && same; ++k) same = h[i + k] == ref[j + k];
                    if (same) {
                        claimed[j] = true;
                        ++matches[n - 1];
                        break;
                    }
                }
            }
        }
    }

    double bleu() const {
        double product = 1.0;
        for (std::size_t n = 0; n < 4; ++n) product *= double(matches[n]) / double(totals[n]);
        const double bp = c > r ? 1.0 : std::exp(1.0 - double(r) / double(c));
        return bp * std::pow(product, 0.25);
    }
};

}  // namespace

TEST_CASE("corpus BLEU agrees with a brute-force count on sentences with reordering and repeats") {
    const std::vector<std::pair<std::string, std::string>> pairs{
        {"un grand jardin national à côté du village sous le livre nouveau lent est vieux souvent .",
         "un grand jardin national à côté du village sous le nouveau livre lent est souvent vieux ."},
        {"les souris ne sont pas devant la la zone .", "les souris ne sont jamais devant la zone ."},
        {"le chat et le chien le chat le chat .", "le chat le chien et le chat ."},
        {"la zone européenne", "la zone économique européenne est française ."},
    };  // c = 17 + 10 + 10 + 3 = 40 < r = 17 + 9 + 8 + 7 = 41: the brevity penalty applies
    BleuStats stats;
    BruteForce brute;
    for (const auto& [h, r] : pairs) {
        stats.add(words(h), words(r));
        brute.add(words(h), words(r));
    }
    for (std::size_t n = 0; n < 4; ++n) {
        CAPTURE(n + 1);
        CHECK(stats.matches[n] == brute.matches[n]);
        CHECK(stats.totals[n] == brute.totals[n]);
    }
    CHECK(stats.brevity_penalty() == doctest::Approx(std::exp(1.0 - 41.0 / 40.0)));
    REQUIRE(brute.bleu() > 0.1);  // every precision is non-zero
    CHECK(brute.bleu() < 1.0);
    CHECK(stats.bleu() == doctest::Approx(brute.bleu()).epsilon(1e-12));
}
