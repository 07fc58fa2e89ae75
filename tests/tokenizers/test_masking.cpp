// BERT's masking: which positions are chosen, what they become, and what the loss is asked for.
#include <doctest/doctest.h>

#include <dikkat/data/masking.hpp>
#include <dikkat/data/vocab.hpp>
#include <dikkat/error.hpp>

using namespace dikkat;
using data::Vocab;

namespace {

// (B, T) ordinary word ids drawn from [5, V).
IndexArray random_words(std::size_t B, std::size_t T, std::size_t V, Rng& rng) {
    IndexArray ids(IndexArray::shape_type{B, T});
    for (auto& id : ids) id = static_cast<Index>(5 + rng.below(static_cast<std::uint32_t>(V - 5)));
    return ids;
}

}  // namespace

TEST_CASE("masking chooses 15% of the words and makes 80% of those <mask>, 10% random, 10% kept") {
    Rng rng(7);
    const std::size_t V = 1000;
    const IndexArray ids = random_words(64, 512, V, rng);
    const data::Masked m = data::mask_tokens(ids, V, rng);
    double chosen = 0, masked = 0, kept = 0, random = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (m.targets.flat(i) == -100) {
            CHECK(m.inputs.flat(i) == ids.flat(i));  // not chosen: unchanged
            continue;
        }
        ++chosen;
        CHECK(m.targets.flat(i) == ids.flat(i));  // the target is the original word
        if (m.inputs.flat(i) == Vocab::mask_id)
            ++masked;
        else if (m.inputs.flat(i) == ids.flat(i))
            ++kept;
        else
            ++random;
    }
    const double n = static_cast<double>(ids.size());
    MESSAGE("chosen " << chosen / n << ", of those masked " << masked / chosen << ", random "
                      << random / chosen << ", kept " << kept / chosen);
    // 32,768 positions, ~4,915 chosen: the binomial's standard deviations are about 0.002 and
    // 0.006, 0.004, 0.004; the bounds are three of them.
    CHECK(chosen / n == doctest::Approx(0.15).epsilon(0.04));
    CHECK(masked / chosen == doctest::Approx(0.8).epsilon(0.025));
    CHECK(random / chosen == doctest::Approx(0.1).epsilon(0.13));
    CHECK(kept / chosen == doctest::Approx(0.1).epsilon(0.13));
}

TEST_CASE("masking never chooses a special token and never draws one as the random word") {
    Rng rng(3);
    const std::size_t V = 50;
    IndexArray ids = random_words(32, 40, V, rng);
    for (std::size_t b = 0; b < 32; ++b) {  // <bos> words <eos> <pad> <pad> ...
        ids(b, 0) = Vocab::bos_id;
        ids(b, 30) = Vocab::eos_id;
        for (std::size_t t = 31; t < 40; ++t) ids(b, t) = Vocab::pad_id;
        ids(b, 10) = Vocab::unk_id;
    }
    const data::MaskingOptions everything{1.0f, 0.0f, 1.0f};  // choose every word, replace by a random one
    const data::Masked m = data::mask_tokens(ids, V, rng, everything);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids.flat(i) <= Vocab::mask_id) {
            CHECK(m.targets.flat(i) == -100);
            CHECK(m.inputs.flat(i) == ids.flat(i));
        } else {
            CHECK(m.targets.flat(i) == ids.flat(i));
            CHECK(m.inputs.flat(i) > Vocab::mask_id);
            CHECK(m.inputs.flat(i) < static_cast<Index>(V));
        }
    }
}

TEST_CASE("masking is the same for the same seed, and nothing is chosen at rate 0") {
    Rng words(1);
    const IndexArray ids = random_words(8, 16, 100, words);
    Rng a(5), b(5), c(6);
    const data::Masked ma = data::mask_tokens(ids, 100, a), mb = data::mask_tokens(ids, 100, b),
                       mc = data::mask_tokens(ids, 100, c);
    CHECK(ma.inputs == mb.inputs);
    CHECK(ma.targets == mb.targets);
    CHECK_FALSE(ma.targets == mc.targets);
    const data::Masked none = data::mask_tokens(ids, 100, a, {0.0f});
    CHECK(none.inputs == ids);
    CHECK(none.targets == IndexArray(ids.shape(), -100));
}

TEST_CASE("masking names a bad rate, a vocabulary without words and an id outside the vocabulary") {
    Rng rng(0);
    const IndexArray ids{{5, 6}, {7, 8}};
    CHECK_THROWS_WITH_AS(data::mask_tokens(ids, 10, rng, {1.5f}), doctest::Contains("rate must be in [0, 1]"),
                         ValueError);
    CHECK_THROWS_WITH_AS(data::mask_tokens(ids, 10, rng, {0.15f, 0.8f, 0.3f}),
                         doctest::Contains("to_mask + to_random must be at most 1"), ValueError);
    CHECK_THROWS_WITH_AS(data::mask_tokens(IndexArray{{1, 2}}, 5, rng),
                         doctest::Contains("holds no ordinary word"), ValueError);
    CHECK_THROWS_WITH_AS(data::mask_tokens(ids, 8, rng), doctest::Contains("id 8 at [1, 1]"), ValueError);
}
