// A translator for the decoding and evaluation tests whose answer is known without training.
#pragma once

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <dikkat/data/parallel.hpp>
#include <dikkat/data/vocab.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/transformer_translator.hpp>
#include <dikkat/seq2seq/translator.hpp>

#include "../support/compare.hpp"
#include "../support/error_of.hpp"

namespace seq2seq_test {

/// The lesson whose checkpoints these tests write and read.
inline const std::string lesson = "02_encoder_decoder";

/// Two vocabularies of the same size where id i is a word and its translation, so that
/// CopyTranslator translates word for word: the -> le, cat -> chat, ...
inline dikkat::data::ParallelCorpus word_for_word() {
    dikkat::data::ParallelCorpus v;
    for (const char* w : {"the", "cat", "sleeps", ".", "dog", "eats"}) v.source_vocab.add(w);
    for (const char* w : {"le", "chat", "dort", ".", "chien", "mange"}) v.target_vocab.add(w);
    return v;
}

/// Tiny sizes for an RnnTranslator; D differs from 2H, so a context of the wrong size cannot go
/// unnoticed.
inline dikkat::seq2seq::RnnConfig tiny_config(std::size_t source_vocab, std::size_t target_vocab,
                                              const std::string& attention) {
    dikkat::seq2seq::RnnConfig c;
    c.source_vocab = source_vocab;
    c.target_vocab = target_vocab;
    c.embed = 3;           // E
    c.encoder_hidden = 2;  // H: encoder states 2H = 4
    c.decoder_hidden = 3;  // D
    c.attention_size = 2;  // A
    c.attention = attention;
    return c;
}

/// Two pairs, both sides padded: the second source is 3 words shorter (S = 5), the first target
/// 2 words shorter (T = 5).
inline dikkat::seq2seq::Batch padded_batch() {
    constexpr dikkat::Index bos = dikkat::data::Vocab::bos_id, eos = dikkat::data::Vocab::eos_id;
    return dikkat::seq2seq::make_batch({{5, 6, 7, 8, eos}, {7, eos}},
                                       {{bos, 5, 6, eos}, {bos, 7, 6, 5, 5, eos}});
}

/// Ids (B) from a list: the previous words of B sentences.
inline dikkat::IndexArray words(std::initializer_list<dikkat::Index> ids) {
    dikkat::IndexArray a = dikkat::IndexArray::from_shape({ids.size()});
    std::copy(ids.begin(), ids.end(), a.begin());
    return a;
}

/// Column t of (B, T) ids: what every sentence reads at step t.
inline dikkat::IndexArray column(const dikkat::IndexArray& ids, std::size_t t) {
    return dikkat::IndexArray(xt::view(ids, xt::all(), t));
}

/// The whole model's loss as the lessons train it: cross-entropy over the real target words.
inline dikkat::Tensor loss_of(const dikkat::seq2seq::Translator& model, const dikkat::seq2seq::Batch& batch) {
    return dikkat::cross_entropy(model.forward(batch), batch.target_out, dikkat::data::Vocab::pad_id);
}

/// gradcheck (gradcheck.hpp) differentiates with respect to its inputs; a model reads its
/// parameters from its members. So this compares backward()'s gradient of a parameter with
/// central differences taken by changing that parameter in place — the same step (eps = 1e-2),
/// error measure and tolerance (5e-3) as gradcheck. Returns the worst error.
inline double parameter_gradient_error(dikkat::seq2seq::Translator& model, const std::string& name,
                                       const dikkat::seq2seq::Batch& batch) {
    dikkat::Tensor param;
    for (const auto& [n, p] : model.named_parameters())
        if (n == name) param = p;
    REQUIRE_MESSAGE(param.defined(), "no parameter ", name);
    model.zero_grad();
    loss_of(model, batch).backward();
    REQUIRE(param.has_grad());
    const dikkat::Array analytic = param.grad();
    constexpr float eps = 1e-2f;
    double worst = 0.0;
    for (std::size_t i = 0; i < param.value().size(); ++i) {
        float& x = param.mutable_value().data()[i];
        const float x0 = x;
        auto loss_at = [&](float value) {
            dikkat::NoGrad no_grad;
            x = value;
            return static_cast<double>(loss_of(model, batch).value()());
        };
        const float up = x0 + eps, down = x0 - eps;
        const double numeric = (loss_at(up) - loss_at(down)) / static_cast<double>(up - down);
        x = x0;
        const double a = static_cast<double>(analytic.data()[i]);
        worst = std::max(worst, std::abs(a - numeric) / std::max({std::abs(a), std::abs(numeric), 1.0}));
    }
    return worst;
}

/// Says its source again, id for id, then `<eos>`: row r's word at step t is source(r, t) (the
/// source's own `<eos>` ends it), and `<eos>` once the source is used up. Logit 0 for that
/// word, -5 for every other. Its attention at step t is one-hot at source position t (all
/// zeros past the end). The target vocabulary must hold every source id (`vocab` > the largest).
class CopyTranslator : public dikkat::seq2seq::Translator {
  public:
    explicit CopyTranslator(std::size_t vocab) : vocab_(vocab) {}

    struct Copy : State {
        dikkat::IndexArray source;  // (B, S)
        std::size_t t = 0;          // steps taken
        void select_rows(const std::vector<std::size_t>& rows) override {
            source = dikkat::IndexArray(xt::view(source, xt::keep(rows), xt::all()));
        }
    };

    dikkat::Tensor forward(const dikkat::seq2seq::Batch&, dikkat::Array* = nullptr) const override {
        throw dikkat::NotImplemented("CopyTranslator only decodes");
    }
    std::unique_ptr<State> start(const dikkat::IndexArray& source, const dikkat::Array&) const override {
        auto state = std::make_unique<Copy>();
        state->source = source;
        return state;
    }
    dikkat::Tensor step(State& state, const dikkat::IndexArray& previous) const override {
        auto& copy = dynamic_cast<Copy&>(state);
        const std::size_t B = copy.source.shape()[0], S = copy.source.shape()[1];
        if (previous.size() != B)
            throw dikkat::ShapeError("CopyTranslator: " + std::to_string(previous.size()) +
                                     " previous words for " + std::to_string(B) + " rows");
        dikkat::Array logits = xt::full_like(dikkat::Array(dikkat::Shape{B, vocab_}), -5.0f);  // (B, V)
        state.attention = xt::zeros<float>({B, S});                                            // (B, S)
        for (std::size_t r = 0; r < B; ++r) {
            const dikkat::Index word = copy.t < S ? copy.source(r, copy.t) : dikkat::data::Vocab::eos_id;
            logits(r, static_cast<std::size_t>(word)) = 0.0f;
            if (copy.t < S) state.attention(r, copy.t) = 1.0f;
        }
        ++copy.t;
        return dikkat::Tensor(logits);
    }

  private:
    std::size_t vocab_;
};

// Tiny sizes: D 8, H 2, F 16, one encoder layer and two decoder layers (so that a cache mixed
// up between layers shows), dropout off; vocabularies of 9 and 8 words, 16 positions.
inline dikkat::seq2seq::TransformerConfig tiny_transformer_config(const std::string& positions,
                                                                  std::size_t source_vocab = 9,
                                                                  std::size_t target_vocab = 8) {
    dikkat::seq2seq::TransformerConfig c;
    c.source_vocab = source_vocab;
    c.target_vocab = target_vocab;
    c.sizes.dim = 8;
    c.sizes.heads = 2;
    c.sizes.ff = 16;
    c.sizes.encoder_layers = 1;
    c.sizes.decoder_layers = 2;
    c.sizes.dropout = 0.0f;
    c.positions = positions;
    c.max_length = 16;
    return c;
}

}  // namespace seq2seq_test
