// Lesson 1's model and its measurements: the character language model (an embedding, a
// recurrent cell unrolled over the window, a linear head), the ablation that wipes the cell's
// memory, and what main() measures of them.
#pragma once

#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <dikkat/data/tokenizer.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/random.hpp>

namespace lesson1 {

using dikkat::Index;
using dikkat::IndexArray;
using dikkat::Rng;
using dikkat::Tensor;
namespace data = dikkat::data;
namespace nn = dikkat::nn;

inline const double ln2 = std::log(2.0);  // nats per bit

// B batch (parallel streams), T window (BPTT length), E embedding, H hidden, V vocabulary
// Embedding -> a recurrent cell, unrolled over the window -> linear head: after every character,
// scores for the next one. Which cell it is — the library's, yours, or one that forgets — is
// decided in main.cpp.
struct CharLM : nn::Module {
    nn::Embedding embed;
    std::shared_ptr<nn::RecurrentCell> cell;
    nn::Linear head;
    CharLM(std::size_t V, std::shared_ptr<nn::RecurrentCell> c, Rng& rng)
        : embed(V, c->input_size(), rng), cell(std::move(c)), head(cell->hidden_size(), V, rng) {
        register_module("embed", embed);
        register_module("cell", cell);
        register_module("head", head);
    }
    std::string describe() const override { return "CharLM"; }

    struct Output {
        Tensor scores;     ///< (B, T, V)
        nn::Unrolled run;  ///< every h_t, and the state after the window (for the next one)
    };
    // [forward]
    // x (B, T) and the state the window starts from ({} = zeros) -> scores and the cell's run.
    Output forward(const IndexArray& x, const nn::CellState& state) const {
        Tensor e = embed(x);                             // (B, T, E)
        nn::Unrolled run = nn::unroll(*cell, e, state);  // h_t for t = 0 .. T-1: (B, T, H)
        return {head(run.outputs), std::move(run)};      // (B, T, V)
    }
    // [forward]
};

// [memory_wiped]
// The ablation: the same cell, but every step starts from the zero state, whatever state it is
// handed — so the network sees the current character and nothing before it.
class MemoryWiped : public nn::RecurrentCell {
  public:
    explicit MemoryWiped(std::shared_ptr<nn::RecurrentCell> inner)
        : RecurrentCell(inner->input_size(), inner->hidden_size()), inner_(std::move(inner)) {
        register_module("inner", inner_);
    }
    nn::CellState forward(const Tensor& x, const nn::CellState&) const override {
        return inner_->forward(x, inner_->initial_state(x.shape()[0]));
    }
    nn::CellState initial_state(std::size_t batch) const override { return inner_->initial_state(batch); }
    std::string describe() const override { return inner_->describe() + ", memory wiped"; }

  private:
    std::shared_ptr<nn::RecurrentCell> inner_;
};
// [memory_wiped]

/// Bits per character of `model` on `tokens`, read as 16 streams of 64 characters at a time with
/// the state carried along.
double bits_per_char(const CharLM& model, const std::vector<Index>& tokens);
/// `length` characters sampled from the model after `prompt` (which starts the result), at
/// `temperature`.
std::string sample_text(const CharLM& model, const data::CharTokenizer& tok, const std::string& prompt,
                        std::size_t length, float temperature, Rng& rng);
/// Every space-separated word of `text`.
std::set<std::string> words_of(const std::string& text);
/// Share of the words of `text` (letters only) that are in `words`.
double real_word_fraction(const std::string& text, const std::set<std::string>& words);
/// How far back does the loss reach? The norm of dL/dh_t, where L is the loss at the last step of a
/// `window`-step window of `tokens`, for t = T-1, T-2, ...: entry k is the distance k back in time
/// (per stream, over 16 streams).
std::vector<double> gradient_norms(const CharLM& model, const std::vector<Index>& tokens, std::size_t window);
/// The lines joined, each ending in a newline.
std::string join_lines(const std::vector<std::string>& lines);
/// The text on one line, paragraph breaks shown as ¶.
std::string one_line(std::string text);

}  // namespace lesson1
