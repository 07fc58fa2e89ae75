#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include <dikkat/eval/diff.hpp>

#include "words.hpp"

using namespace dikkat;
using eval::mark_differences;

namespace {

std::string marked(const std::string& hypothesis, const std::string& reference) {
    return mark_differences(words(hypothesis), words(reference));
}

}  // namespace

TEST_CASE("a correct translation comes back unmarked") {
    CHECK(marked("le chat dort .", "le chat dort .") == "le chat dort .");
    CHECK(marked("", "") == "");
}

TEST_CASE("a wrong word is marked [wrong] and followed by the right one as [+right]") {
    CHECK(marked("le chat est noir", "le chat soit noir") == "le chat [est] [+soit] noir");
}

TEST_CASE("the example at the top of diff.hpp: a wrong mood and a missing full stop") {
    CHECK(marked("l' actrice n' espère pas qu' un roi est anglais",
                 "l' actrice n' espère pas qu' un roi soit anglais .") ==
          "l' actrice n' espère pas qu' un roi [est] [+soit] anglais [+.]");
}

TEST_CASE("an extra word is marked and the rest stays aligned") {
    CHECK(marked("il dort très bien .", "il dort bien .") == "il dort [très] bien .");
}

TEST_CASE("an empty hypothesis is every reference word missing, an empty reference marks every word") {
    CHECK(marked("", "le chat") == "[+le] [+chat]");
    CHECK(marked("le chat", "") == "[le] [chat]");
}

TEST_CASE(
    "adjectives in the wrong order: one is kept, the other is marked where it is and where it belongs") {
    // LCS "la zone économique" and "la zone européenne" are equally long; the walk skips the
    // hypothesis's word on a tie, so "économique" is kept.
    CHECK(marked("la zone européenne économique", "la zone économique européenne") ==
          "la zone [européenne] économique [+européenne]");
}

TEST_CASE("several differences in one gap: the hypothesis's words first, then the missing ones") {
    CHECK(marked("le gros chien noir dort", "le petit chat noir dort") ==
          "le [gros] [chien] [+petit] [+chat] noir dort");
}

TEST_CASE("colour style: wrong words red, missing words green with a +, no brackets") {
    CHECK(mark_differences(words("le chat est noir"), words("le chat soit noir"), eval::DiffStyle::colour) ==
          "le chat \x1b[31mest\x1b[0m \x1b[32m+soit\x1b[0m noir");
}

// ---- Properties on random sentences ----------------------------------------------------------
// Reading the marks back must give both sentences, and the unmarked words must be a longest
// common subsequence — checked against brute force: every subset of the hypothesis's words.

namespace {

bool is_subsequence(const std::vector<std::string>& small, const std::vector<std::string>& big) {
    std::size_t k = 0;
    for (std::size_t j = 0; j < big.size() && k < small.size(); ++j)
        if (big[j] == small[k]) ++k;
    return k == small.size();
}

std::size_t brute_force_lcs(const std::vector<std::string>& h, const std::vector<std::string>& r) {
    std::size_t best = 0;
    for (unsigned mask = 0; mask < (1u << h.size()); ++mask) {
        std::vector<std::string> pick;
        for (std::size_t i = 0; i < h.size(); ++i)
            if (mask & (1u << i)) pick.push_back(h[i]);
        if (is_subsequence(pick, r)) best = std::max(best, pick.size());
    }
    return best;
}

}  // namespace

TEST_CASE("on random sentences the marks give back both sentences and keep a longest common subsequence") {
    std::mt19937 rng(7);
    const std::vector<std::string> vocabulary{"le", "chat", "chien", "dort", "."};
    std::uniform_int_distribution<std::size_t> word(0, vocabulary.size() - 1), length(0, 8);
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<std::string> h(length(rng)), r(length(rng));
        for (auto& w : h) w = vocabulary[word(rng)];
        for (auto& w : r) w = vocabulary[word(rng)];
        std::vector<std::string> kept, as_hypothesis, as_reference;
        for (const std::string& m : words(mark_differences(h, r))) {
            if (m.rfind("[+", 0) == 0) {
                as_reference.push_back(m.substr(2, m.size() - 3));
            } else if (m.front() == '[') {
                as_hypothesis.push_back(m.substr(1, m.size() - 2));
            } else {
                kept.push_back(m);
                as_hypothesis.push_back(m);
                as_reference.push_back(m);
            }
        }
        CAPTURE(trial);
        CHECK(as_hypothesis == h);
        CHECK(as_reference == r);
        CHECK(kept.size() == brute_force_lcs(h, r));
    }
}
