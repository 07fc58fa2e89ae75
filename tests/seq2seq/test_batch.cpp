// seq2seq::make_batch (seq2seq/translator.hpp): sentence pairs padded into a Batch, the target
// split into the decoder's input and what it must predict, one position apart.
#include <doctest/doctest.h>

#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/seq2seq/translator.hpp>

using namespace dikkat;
using data::Vocab;

namespace seq2seq_batch_test {
constexpr Index pad = Vocab::pad_id, bos = Vocab::bos_id, eos = Vocab::eos_id;

// Two pairs of different lengths on both sides: the source "5 6 7 <eos>" / "8 <eos>", the target
// "<bos> 9 10 <eos>" / "<bos> 11 12 13 <eos>".
const std::vector<std::vector<Index>> sources = {{5, 6, 7, eos}, {8, eos}};
const std::vector<std::vector<Index>> targets = {{bos, 9, 10, eos}, {bos, 11, 12, 13, eos}};

IndexArray ids(std::initializer_list<std::initializer_list<Index>> rows) { return IndexArray(rows); }

TEST_CASE("make_batch pads the sources and marks their real words with keep") {
    const seq2seq::Batch b = seq2seq::make_batch(sources, targets);
    REQUIRE(b.source.shape() == IndexArray::shape_type{2, 4});  // (B, S): the longer source
    REQUIRE(b.source_keep.shape() == Shape{2, 4});
    CHECK(b.source == ids({{5, 6, 7, eos}, {8, eos, pad, pad}}));
    CHECK(b.source_keep == Array({{1, 1, 1, 1}, {1, 1, 0, 0}}));
}

TEST_CASE("make_batch shifts the target by one: target_in starts at bos and target_out ends at eos") {
    const seq2seq::Batch b = seq2seq::make_batch(sources, targets);
    // T = longest target - 1: the decoder reads all but the last id and predicts all but the first.
    REQUIRE(b.target_in.shape() == IndexArray::shape_type{2, 4});
    REQUIRE(b.target_out.shape() == IndexArray::shape_type{2, 4});
    CHECK(b.target_in == ids({{bos, 9, 10, pad}, {bos, 11, 12, 13}}));
    CHECK(b.target_out == ids({{9, 10, eos, pad}, {11, 12, 13, eos}}));
    // Where a sentence is real, what is predicted at t is what is read at t + 1.
    for (std::size_t r = 0; r < targets.size(); ++r)
        for (std::size_t t = 0; t + 2 < targets[r].size(); ++t)
            CHECK(b.target_out(r, t) == b.target_in(r, t + 1));
}

TEST_CASE("make_batch of one pair needs no padding") {
    const seq2seq::Batch b = seq2seq::make_batch({{7, eos}}, {{bos, eos}});
    CHECK(b.source == ids({{7, eos}}));
    CHECK(b.source_keep == Array({{1, 1}}));
    CHECK(b.target_in == ids({{bos}}));
    CHECK(b.target_out == ids({{eos}}));
}

TEST_CASE("make_batch says how many sources and targets it got when they differ") {
    CHECK_THROWS_WITH_AS(seq2seq::make_batch(sources, {targets[0]}),
                         doctest::Contains("make_batch: 2 sources but 1 targets"), ValueError);
}

TEST_CASE("make_batch refuses an empty batch") {
    CHECK_THROWS_WITH_AS(seq2seq::make_batch({}, {}), doctest::Contains("empty"), ValueError);
}

TEST_CASE("make_batch names the target that is shorter than bos and eos") {
    CHECK_THROWS_WITH_AS(
        seq2seq::make_batch(sources, {targets[0], {bos}}),
        doctest::Contains("make_batch: target 1 has 1 ids; it needs at least <bos> and <eos>"), ValueError);
    CHECK_THROWS_WITH_AS(seq2seq::make_batch({sources[0]}, {{}}), doctest::Contains("target 0 has 0 ids"),
                         ValueError);
}
}  // namespace seq2seq_batch_test
