// A translator for the decoding and evaluation tests whose answer is known without training.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <dikkat/data/parallel.hpp>
#include <dikkat/data/vocab.hpp>
#include <dikkat/seq2seq/rnn_translator.hpp>
#include <dikkat/seq2seq/translator.hpp>

#include "../support/error_of.hpp"

namespace seq2seq_test {

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

/// Calls f, expects an exception of type E, and checks that its message contains every part.
template <class E, class F>
void check_error(F&& f, const std::vector<std::string>& parts) {
    const std::string msg = error_of<E>(f);
    for (const auto& p : parts) CHECK_MESSAGE(msg.find(p) != std::string::npos, msg, " lacks ", p);
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

}  // namespace seq2seq_test
