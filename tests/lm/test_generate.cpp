// What a language model is asked in words (lm/generate.hpp): continue a text, fill in a hidden
// word. The output layer's bias steers a tiny untrained model where a test needs it to go: a
// bias of +30 on the special tokens makes them the model's favourites, which the functions must
// still never return.
//
//     T positions, V vocabulary
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <dikkat/lm/generate.hpp>
#include <dikkat/ops.hpp>

#include "../support/error_of.hpp"
#include "lm_test_util.hpp"

using namespace dikkat;
namespace lm_test {
using data::Vocab;
using lm::Objective;

namespace {
const std::vector<Index> prompt = {5, 6, 7};  // "the film was"

// Makes every special token but <eos> the model's favourite; <eos> gets `eos_bias`.
void favour_specials(lm::TransformerLM& model, float eos_bias) {
    Array& b = model.head.bias.mutable_value();
    for (Index id : {Vocab::pad_id, Vocab::bos_id, Vocab::unk_id, Vocab::mask_id}) b(std::size_t(id)) = 30.0f;
    b(std::size_t(Vocab::eos_id)) = eos_bias;
}

// The words after the prompt: never a special token but <eos>, and <eos> only last.
void check_continuation(const std::vector<Index>& out, const std::vector<Index>& start, std::size_t words) {
    REQUIRE(out.size() >= start.size());
    CHECK(out.size() <= start.size() + words);
    CHECK(std::equal(start.begin(), start.end(), out.begin()));
    for (std::size_t i = start.size(); i < out.size(); ++i) {
        CAPTURE(i);
        CHECK(out[i] >= 0);
        CHECK(out[i] < Index(V));
        CHECK((out[i] == Vocab::eos_id || out[i] > Vocab::mask_id));
        if (out[i] == Vocab::eos_id) CHECK(i + 1 == out.size());
    }
}

// The softmax over the words (ids > mask) of scores (V): what fill_masks reports.
std::vector<double> word_probabilities(const Array& scores) {
    std::vector<double> p(V, 0.0);
    double top = -1e300, total = 0.0;
    for (std::size_t v = std::size_t(Vocab::mask_id) + 1; v < V; ++v) top = std::max(top, double(scores(v)));
    for (std::size_t v = std::size_t(Vocab::mask_id) + 1; v < V; ++v)
        total += p[v] = std::exp(double(scores(v)) - top);
    for (double& x : p) x /= total;
    return p;
}
}  // namespace

// ---- continue_text -----------------------------------------------------------------------------

TEST_CASE("continue_text at temperature 0 is deterministic and adds at most the words asked for") {
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng init(20);
        const lm::TransformerLM model(tiny_config(o), init);
        const lm::Sampling greedy{/*temperature=*/0.0f, /*top_k=*/0};
        Rng a(1), b(2);
        const std::vector<Index> first = lm::continue_text(model, prompt, 4, greedy, a);
        CHECK(lm::continue_text(model, prompt, 4, greedy, b) == first);
        check_continuation(first, prompt, 4);
        CHECK(lm::continue_text(model, prompt, 0, greedy, a) == prompt);
    }
}

TEST_CASE("continue_text never draws a special token but <eos>, even when the model prefers them") {
    for (Objective o : {Objective::gpt, Objective::bert})
        for (float temperature : {0.0f, 1.0f, 5.0f}) {
            CAPTURE(lm::to_string(o));
            CAPTURE(temperature);
            Rng init(21);
            lm::TransformerLM model(tiny_config(o), init);
            favour_specials(model, /*eos_bias=*/-30.0f);
            Rng rng(3);
            const std::vector<Index> out = lm::continue_text(model, prompt, 5, {temperature, 0}, rng);
            check_continuation(out, prompt, 5);
            CHECK(out.size() == prompt.size() + 5);  // no <eos>: all 5 words
        }
}

TEST_CASE("continue_text stops after <eos>") {
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng init(22);
        lm::TransformerLM model(tiny_config(o), init);
        favour_specials(model, /*eos_bias=*/60.0f);
        Rng rng(4);
        CHECK(lm::continue_text(model, prompt, 5, {0.0f, 0}, rng) ==
              std::vector<Index>{5, 6, 7, Vocab::eos_id});
        CHECK(lm::continue_text(model, prompt, 5, {1.0f, 40}, rng) ==
              std::vector<Index>{5, 6, 7, Vocab::eos_id});
    }
}

TEST_CASE("continue_text reads the last context words of a prompt longer than the context") {
    // Context 8: GPT reads the last 8 words, BERT the last 7 and a <mask> after them.
    const std::vector<Index> long_prompt = {5, 6, 7, 8, 9, 10, 11, 5, 6, 7};
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng init(23);
        lm::TransformerLM model(tiny_config(o), init);
        favour_specials(model, /*eos_bias=*/-30.0f);
        Rng rng(5);
        const std::vector<Index> out = lm::continue_text(model, long_prompt, 3, {0.0f, 0}, rng);
        check_continuation(out, long_prompt, 3);
        REQUIRE(out.size() == long_prompt.size() + 3);
        // Each word drawn is the arg-max over words of the scores at the window's last position.
        NoGrad no_grad;
        for (std::size_t n = long_prompt.size(); n < out.size(); ++n) {
            CAPTURE(n);
            std::vector<Index> window(out.begin() + std::ptrdiff_t(n) - (o == Objective::gpt ? 8 : 7),
                                      out.begin() + std::ptrdiff_t(n));
            if (o == Objective::bert) window.push_back(Vocab::mask_id);
            const Array scores =
                xt::view(model.forward(one_row(window)).value(), 0, window.size() - 1, xt::all());
            const std::vector<double> p = word_probabilities(scores);
            CHECK(out[n] == Index(std::max_element(p.begin(), p.end()) - p.begin()));
        }
    }
}

TEST_CASE("continue_text with top_k 1 draws the likeliest word at any temperature") {
    Rng init(24);
    const lm::TransformerLM model(tiny_config(Objective::gpt), init);
    Rng a(6), b(7);
    const std::vector<Index> greedy = lm::continue_text(model, prompt, 5, {0.0f, 0}, a);
    CHECK(lm::continue_text(model, prompt, 5, {50.0f, 1}, b) == greedy);
    // Without the cut, so hot a temperature wanders off the greedy path.
    bool differs = false;
    for (int i = 0; i < 5 && !differs; ++i)
        differs = lm::continue_text(model, prompt, 5, {50.0f, 0}, b) != greedy;
    CHECK(differs);
}

TEST_CASE("continue_text refuses an empty prompt and an id outside the vocabulary") {
    Rng init(25);
    const lm::TransformerLM model(tiny_config(Objective::gpt), init);
    Rng rng(8);
    check_error<ValueError>([&] { lm::continue_text(model, {}, 3, {}, rng); }, {"the prompt has no words"});
    check_error<ValueError>(
        [&] {
            lm::continue_text(model, {5, 12}, 3, {}, rng);
        },
        {"outside the vocabulary"});
}

// ---- fill_masks --------------------------------------------------------------------------------

TEST_CASE("fill_masks gives k words per <mask>, likeliest first, never a special token") {
    const std::vector<Index> text = {5, Vocab::mask_id, 7, 8, Vocab::mask_id, 10};
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng init(26);
        lm::TransformerLM model(tiny_config(o), init);
        favour_specials(model, /*eos_bias=*/30.0f);
        const auto gaps = lm::fill_masks(model, text, 3);
        REQUIRE(gaps.size() == 2);
        for (const auto& gap : gaps) {
            REQUIRE(gap.size() == 3);
            double total = 0.0;
            for (std::size_t i = 0; i < gap.size(); ++i) {
                CAPTURE(i);
                CHECK(gap[i].id > Vocab::mask_id);  // <eos> too is no answer for a gap
                CHECK(gap[i].id < Index(V));
                CHECK(gap[i].probability > 0.0);
                CHECK(gap[i].probability <= 1.0);
                if (i > 0) CHECK(gap[i].probability <= gap[i - 1].probability);
                total += gap[i].probability;
            }
            CHECK(total <= 1.0 + 1e-6);
        }
    }
}

TEST_CASE("fill_masks reads BERT's scores at the gap and GPT's at the word before it") {
    const std::vector<Index> text = {5, 6, Vocab::mask_id, 8, 9};
    std::vector<Index> other_end = text;
    other_end[4] = 11;  // a different word after the gap
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng init(27);
        const lm::TransformerLM model(tiny_config(o), init);
        const auto gaps = lm::fill_masks(model, text, 7);
        REQUIRE(gaps.size() == 1);
        REQUIRE(gaps[0].size() == 7);  // every word, once
        NoGrad no_grad;
        const std::size_t t = o == Objective::gpt ? 1 : 2;
        const std::vector<double> p =
            word_probabilities(xt::view(model.forward(one_row(text)).value(), 0, t, xt::all()));
        for (const lm::Candidate& c : gaps[0])
            CHECK(c.probability == doctest::Approx(p[std::size_t(c.id)]).epsilon(1e-5));
        // GPT's answer does not depend on the words after the gap; BERT's does.
        const auto other = lm::fill_masks(model, other_end, 7);
        const double change = std::abs(other[0][0].probability - gaps[0][0].probability) +
                              std::abs(other[0][6].probability - gaps[0][6].probability);
        if (o == Objective::gpt)
            CHECK(change < 1e-6);
        else
            CHECK(change > 1e-6);
    }
}

TEST_CASE("fill_masks with k beyond the number of words gives each word once and no special token") {
    // V = 12 holds 7 words: k = 12 cannot find 12 candidates without the hidden specials.
    const std::vector<Index> text = {5, 6, Vocab::mask_id};
    for (Objective o : {Objective::gpt, Objective::bert}) {
        CAPTURE(lm::to_string(o));
        Rng init(28);
        const lm::TransformerLM model(tiny_config(o), init);
        const auto gaps = lm::fill_masks(model, text, 12);
        REQUIRE(gaps.size() == 1);
        CHECK(gaps[0].size() <= 7);
        for (const lm::Candidate& c : gaps[0]) {
            CHECK(c.id > Vocab::mask_id);
            CHECK(c.probability > 0.0);
        }
    }
}

TEST_CASE("fill_masks refuses a text without <mask>, one beyond the context, and GPT with a gap first") {
    Rng init(29);
    const lm::TransformerLM gpt(tiny_config(Objective::gpt), init);
    const lm::TransformerLM bert(tiny_config(Objective::bert), init);
    for (const lm::TransformerLM* m : {&gpt, &bert}) {
        check_error<ValueError>([&] { lm::fill_masks(*m, {5, 6, 7}); }, {"no <mask>"});
        check_error<ValueError>(
            [&] {
                lm::fill_masks(*m, {5, 6, 7, 8, 9, 10, 11, 5, Vocab::mask_id});
            },
            {"9 words; the model reads at most 8"});
    }
    check_error<ValueError>(
        [&] {
            lm::fill_masks(gpt, {Vocab::mask_id, 6, 7});
        },
        {"the gap is the first word"});
    CHECK(lm::fill_masks(bert, {Vocab::mask_id, 6, 7}, 2).at(0).size() == 2);  // BERT reads the right side
}
}  // namespace lm_test
