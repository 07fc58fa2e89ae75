// What the tests of lm/ share: a tiny configuration and vocabulary, and sequences as (1, T) ids
// (and, through tests/support/, max_difference and check_error).
//
//     B batch, T positions, D model size, H heads, F feed-forward, V vocabulary
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/lm/transformer_lm.hpp>

#include "../support/compare.hpp"
#include "../support/error_of.hpp"

// A test file opens this namespace around its cases rather than `using` it: the unity build
// compiles it in one piece with other tests, whose own tiny sizes (D, H, F) may be visible too,
// and names of the enclosing namespace are found first.
namespace lm_test {
using namespace dikkat;

inline constexpr std::size_t D = 8, H = 2, F = 16, context = 8;

// Five special tokens and seven words: V = 12.
inline data::Vocab tiny_vocab() {
    data::Vocab vocab;
    for (const char* w : {"the", "film", "was", "a", "joy", "dull", "."}) vocab.add(w);
    return vocab;
}
inline constexpr std::size_t V = 12;

// A tiny model's sizes, dropout off (outputs are deterministic in either mode).
inline lm::LMConfig tiny_config(lm::Objective objective, std::size_t layers = 2,
                                const std::string& positions = "learned") {
    lm::LMConfig c;
    c.objective = objective;
    c.vocab = V;
    c.dim = D;
    c.heads = H;
    c.ff = F;
    c.layers = layers;
    c.context = context;
    c.positions = positions;
    c.dropout = 0.0f;
    return c;
}

// One sequence as ids (1, T).
inline IndexArray one_row(const std::vector<Index>& ids) {
    IndexArray x(IndexArray::shape_type{1, ids.size()});
    std::copy(ids.begin(), ids.end(), x.begin());
    return x;
}

}  // namespace lm_test
