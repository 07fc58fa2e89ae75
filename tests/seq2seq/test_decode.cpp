// Decoding (seq2seq/decode.hpp) with a scripted translator: its next-word probabilities come
// from a fixed table, row = the previous word, so every answer can be worked out by hand.
//
//     B sentences (rows), S source length, V = 8 words: the 5 specials, then a (5), b (6), c (7)
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <dikkat/data/vocab.hpp>
#include <dikkat/seq2seq/decode.hpp>

#include "seq2seq_test_util.hpp"

using namespace dikkat;
using data::Vocab;

namespace decode_test {
constexpr Index pad = Vocab::pad_id, bos = Vocab::bos_id, eos = Vocab::eos_id, unk = Vocab::unk_id,
                mask = Vocab::mask_id, a = 5, b = 6, c = 7;
constexpr std::size_t V = 8;

// P(next | previous): a row per previous word, each summing to 1.
using Table = std::map<Index, std::map<Index, double>>;

// Fills a row's unlisted words with what is left of 1, in equal parts.
std::map<Index, double> row(std::map<Index, double> listed) {
    double left = 1.0;
    for (const auto& [w, p] : listed) left -= p;
    const double share = left / double(V - listed.size());
    for (Index w = 0; w < Index(V); ++w)
        if (!listed.count(w)) listed[w] = share;
    return listed;
}

// A translator whose step() returns log P(next | previous) from a table, ignoring the source.
// Its state keeps, per row, every word fed so far; step() writes an attention row (S) of
// [last word fed, the word before it, 0, ...] — the word before arrives through select_rows(),
// so a hypothesis with a wrong parent shows up in its attention.
class ScriptedTranslator : public seq2seq::Translator {
  public:
    explicit ScriptedTranslator(Table table) : table_(std::move(table)) {}

    struct Fed : State {
        std::vector<std::vector<Index>> words;  // per row
        std::size_t S = 0;
        void select_rows(const std::vector<std::size_t>& rows) override {
            std::vector<std::vector<Index>> kept;
            for (std::size_t r : rows) kept.push_back(words.at(r));
            words = std::move(kept);
        }
    };

    Tensor forward(const seq2seq::Batch&, Array* = nullptr) const override {
        throw NotImplemented("ScriptedTranslator only decodes");
    }
    std::unique_ptr<State> start(const IndexArray& source, const Array& source_keep) const override {
        REQUIRE(source_keep.shape() == Shape{source.shape()[0], source.shape()[1]});
        auto state = std::make_unique<Fed>();
        state->words.resize(source.shape()[0]);
        state->S = source.shape()[1];
        ++starts;
        return state;
    }
    Tensor step(State& state, const IndexArray& previous) const override {
        auto& fed = dynamic_cast<Fed&>(state);
        const std::size_t rows = fed.words.size();
        if (previous.dimension() != 1 || previous.size() != rows)
            throw ShapeError("ScriptedTranslator: " + std::to_string(previous.size()) +
                             " previous words for " + std::to_string(rows) + " rows");
        Array logits(Shape{rows, V});
        state.attention = xt::zeros<float>({rows, std::max<std::size_t>(fed.S, 2)});
        for (std::size_t r = 0; r < rows; ++r) {
            fed.words[r].push_back(previous(r));
            const std::vector<Index>& w = fed.words[r];
            state.attention(r, 0) = float(w.back());
            state.attention(r, 1) = w.size() >= 2 ? float(w[w.size() - 2]) : 0.0f;
            for (std::size_t v = 0; v < V; ++v)
                logits(r, v) = float(std::log(table_.at(w.back()).at(Index(v))));
        }
        ++steps;
        return Tensor(logits);
    }

    mutable int starts = 0, steps = 0;

  private:
    Table table_;
};

double log_p(const Table& t, std::initializer_list<Index> path) {  // path: bos, w1, ..., eos
    double sum = 0.0;
    const std::vector<Index> p(path);
    for (std::size_t i = 1; i < p.size(); ++i) sum += std::log(t.at(p[i - 1]).at(p[i]));
    return sum;
}

// The trap: "a" is the likeliest first word, but everything after it is uncertain; "b" is a
// little less likely and then almost surely ends the sentence.
//     greedy   a <eos>   0.5 × 0.3 = 0.15          beam   b <eos>   0.4 × 0.9 = 0.36
Table trap_table() {
    Table t;
    t[bos] = row({{a, 0.5}, {b, 0.4}, {eos, 0.04}, {c, 0.03}});
    t[a] = row({{eos, 0.3}, {a, 0.25}, {b, 0.25}, {c, 0.12}});
    t[b] = row({{eos, 0.9}, {a, 0.03}, {b, 0.02}, {c, 0.02}});
    t[c] = row({{eos, 0.5}, {c, 0.3}});
    for (Index w : {pad, unk, mask, eos}) t[w] = row({{eos, 0.9}});
    return t;
}

// A short sentence with the better total, a long one with the better mean per word:
//     a <eos>      0.55 × 0.9         = 0.495   log -0.703   per word (/2) -0.352
//     c b <eos>    0.4 × 0.99 × 0.99  = 0.392   log -0.936   per word (/3) -0.312
Table length_table() {
    Table t;
    t[bos] = row({{a, 0.55}, {c, 0.4}});
    t[a] = row({{eos, 0.9}});
    t[c] = row({{b, 0.99}});
    t[b] = row({{eos, 0.99}});
    for (Index w : {pad, unk, mask, eos}) t[w] = row({{eos, 0.9}});
    return t;
}

// Never ends: "a" after everything, <eos> unlikely.
Table endless_table() {
    Table t;
    for (Index w = 0; w < Index(V); ++w) t[w] = row({{a, 0.9}, {eos, 0.001}});
    return t;
}

IndexArray one_source(std::size_t S) { return xt::ones<Index>({std::size_t{1}, S}) * Index(5); }
Array all_kept(std::size_t B, std::size_t S) { return xt::ones<float>({B, S}); }

// ---- greedy decoding -------------------------------------------------------------------------

TEST_CASE("greedy_decode takes the likeliest word at every step and stops at eos") {
    const Table t = trap_table();
    const ScriptedTranslator model(t);
    const auto out = seq2seq::greedy_decode(model, one_source(3), all_kept(1, 3), /*max_length=*/10);
    REQUIRE(out.size() == 1);
    CHECK(out[0].ids == std::vector<Index>{a});  // the trap: a, then <eos> (0.3) beats a/b (0.25)
    CHECK(out[0].log_prob == doctest::Approx(log_p(t, {bos, a, eos})).epsilon(1e-5));
    CHECK(model.starts == 1);
    CHECK(model.steps == 2);  // a, then <eos>: no step after the sentence is over
    // One attention row per produced word and <eos>: (words + 1, S), fed <bos> then a.
    REQUIRE(out[0].attention.shape() == Shape{2, 3});
    CHECK(out[0].attention(0, 0) == float(bos));
    CHECK(out[0].attention(1, 0) == float(a));
}

TEST_CASE("greedy_decode decodes a padded batch, each sentence stopping at its own eos") {
    // The copy translator says its source again: "a b c" and "c", then <eos>.
    const seq2seq_test::CopyTranslator model(V);
    const IndexArray source = {{a, b, c, eos}, {c, eos, pad, pad}};
    const Array keep = {{1, 1, 1, 1}, {1, 1, 0, 0}};
    const auto out = seq2seq::greedy_decode(model, source, keep, /*max_length=*/10);
    REQUIRE(out.size() == 2);
    CHECK(out[0].ids == std::vector<Index>{a, b, c});
    CHECK(out[1].ids == std::vector<Index>{c});
    // Every chosen word (and <eos>) had logit 0 against 7 words at -5.
    const double each = -std::log(1.0 + 7.0 * std::exp(-5.0));
    CHECK(out[0].log_prob == doctest::Approx(4 * each).epsilon(1e-5));
    CHECK(out[1].log_prob == doctest::Approx(2 * each).epsilon(1e-5));
    // An attention row per word and <eos>, the second sentence's stopping with it.
    CHECK(out[0].attention == Array({{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}));
    CHECK(out[1].attention == Array({{1, 0, 0, 0}, {0, 1, 0, 0}}));
}

TEST_CASE("greedy_decode stops a model that never says eos after max_length words") {
    const ScriptedTranslator model(endless_table());
    const auto out = seq2seq::greedy_decode(model, one_source(2), all_kept(1, 2), /*max_length=*/4);
    REQUIRE(out.size() == 1);
    CHECK(out[0].ids == std::vector<Index>(4, a));
    CHECK(model.steps == 5);  // 4 words, then the step whose word is cut off
    CHECK(out[0].attention.shape()[0] == 5);
}

// ---- beam search -----------------------------------------------------------------------------

TEST_CASE("beam_search with 2 beams escapes the first word greedy decoding is trapped by") {
    const Table t = trap_table();
    const ScriptedTranslator model(t);
    const seq2seq::Translation greedy = seq2seq::greedy_decode(model, one_source(3), all_kept(1, 3), 10)[0];
    const seq2seq::Translation beam = seq2seq::beam_search(model, {5, 5, 5}, /*beam=*/2, /*max_length=*/10);
    CHECK(greedy.ids == std::vector<Index>{a});
    CHECK(beam.ids == std::vector<Index>{b});
    CHECK(beam.log_prob == doctest::Approx(log_p(t, {bos, b, eos})).epsilon(1e-5));  // log 0.36
    CHECK(beam.log_prob > greedy.log_prob + 0.8);                                    // log 0.36 - log 0.15
    // Its attention rows are its own: fed <bos>, then b (the row's parent came through select_rows).
    REQUIRE(beam.attention.shape() == Shape{2, 3});
    CHECK(beam.attention(0, 0) == float(bos));
    CHECK(beam.attention(1, 0) == float(b));
    CHECK(beam.attention(1, 1) == float(bos));
}

TEST_CASE("beam_search length_alpha decides between a short and a long finished sentence") {
    const Table t = length_table();
    const ScriptedTranslator model(t);
    // alpha = 0: the raw sum, the short sentence wins.
    const seq2seq::Translation raw = seq2seq::beam_search(model, {5, 5}, 2, 10, /*length_alpha=*/0.0f);
    CHECK(raw.ids == std::vector<Index>{a});
    CHECK(raw.log_prob == doctest::Approx(log_p(t, {bos, a, eos})).epsilon(1e-5));
    // alpha = 1: the mean per word (<eos> counted), the long sentence wins.
    const seq2seq::Translation mean = seq2seq::beam_search(model, {5, 5}, 2, 10, /*length_alpha=*/1.0f);
    CHECK(mean.ids == std::vector<Index>{c, b});
    CHECK(mean.log_prob == doctest::Approx(log_p(t, {bos, c, b, eos})).epsilon(1e-5));
    // The long one's attention: fed <bos>, c, b, each row remembering the word before.
    REQUIRE(mean.attention.shape() == Shape{3, 2});
    CHECK(mean.attention(1, 0) == float(c));
    CHECK(mean.attention(2, 0) == float(b));
    CHECK(mean.attention(2, 1) == float(c));
}

TEST_CASE("beam_search stops a model that never says eos after max_length words") {
    const ScriptedTranslator model(endless_table());
    const seq2seq::Translation out = seq2seq::beam_search(model, {5}, /*beam=*/3, /*max_length=*/4);
    CHECK(out.ids.size() == 4);
    CHECK(model.steps == 5);
}

TEST_CASE("beam_search with one beam is greedy decoding") {
    for (const Table& t : {trap_table(), length_table(), endless_table()}) {
        const ScriptedTranslator model(t);
        const seq2seq::Translation greedy =
            seq2seq::greedy_decode(model, one_source(2), all_kept(1, 2), 6)[0];
        const seq2seq::Translation beam = seq2seq::beam_search(model, {5, 5}, /*beam=*/1, /*max_length=*/6);
        CHECK(beam.ids == greedy.ids);
        CHECK(beam.log_prob == doctest::Approx(greedy.log_prob).epsilon(1e-9));
        CHECK(beam.attention == greedy.attention);
    }
}

TEST_CASE("beam_search refuses a beam of 0 and an empty source") {
    const ScriptedTranslator model(trap_table());
    CHECK_THROWS_WITH_AS(seq2seq::beam_search(model, {5}, 0, 10), doctest::Contains("at least 1 hypothesis"),
                         ValueError);
    CHECK_THROWS_WITH_AS(seq2seq::beam_search(model, {}, 2, 10),
                         doctest::Contains("source sentence is empty"), ValueError);
}

TEST_CASE("max_target_length allows twice the source and ten words") {
    CHECK(seq2seq::max_target_length(0) == 10);
    CHECK(seq2seq::max_target_length(7) == 24);
}
}  // namespace decode_test
