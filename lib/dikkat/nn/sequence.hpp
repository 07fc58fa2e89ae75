// Running a recurrent cell over a whole sequence: the loop every lesson with an RNN needs,
// written once, with padding handled.
//
//     B batch, T time, I input size, H hidden size
//
// nn::unroll reads xs (B, T, I) one step at a time with a cell (nn/rnn.hpp) and returns every
// h_t and the final state. nn::RNN owns one cell — or two, for a bidirectional encoder — and
// runs them with unroll from a zero state.
//
// Padding. A batch of sentences of different lengths is right-padded to the longest: `keep`
// (B, T) is 1 where a real token is and 0 at padding (the house convention, ops/mask.hpp).
// A padded step leaves the state unchanged:
//
//     s_t = keep_t ⊙ cell(x_t, s_{t−1}) + (1 − keep_t) ⊙ s_{t−1}        (h, and c for an LSTM)
//
// so a sequence of length 3 in a batch padded to 5 ends with the state it had after its third
// token, exactly, and its padded inputs x_3, x_4 get exactly zero gradient. Run backwards
// (from t = T−1 down to 0), the padded steps come first and keep the initial state, so each
// sequence starts at its own last real token — as if it had been run alone, unpadded. That is
// what a bidirectional encoder needs: its backward half must not read padding before the words.
//
//     keep  1 1 1 0 0        forward  h_0 h_1 h_2 h_2 h_2     last = h_2
//                            backward h_0 h_1 h_2 s_0 s_0     last = h_0   (s_0: the initial state)
//
// The output at a padded step is the state carried through it (h_2 and s_0 above), not zeros:
// output and state are one thing for these cells (h_t), it costs nothing extra, and the forward
// run's output at T−1 is then each sequence's last real state. Whatever reads the outputs
// (attention) must hide the padded positions with `keep` anyway.
//
// Speed: a step whose keep column is all ones (every step, without padding) is exactly
// cell.forward — no blending; a step where every sequence is padded skips the cell.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <dikkat/nn/module.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/random.hpp>

namespace dikkat::nn {

/// Which way unroll reads the time axis.
enum class Direction {
    forward,   ///< t = 0, 1, …, T−1
    backward,  ///< t = T−1, …, 1, 0
};

/// What unroll returns: every h_t and the state after the last step read.
struct Unrolled {
    /// \f$ h_t \f$ for t = 0 … T−1, each (B, H), in time order whichever the direction: the
    /// tensors of the graph itself, so `hs[t].retain_grad()` gives \f$ \partial L/\partial h_t \f$.
    std::vector<Tensor> hs;
    /// The same, stacked: (B, T, H).
    Tensor outputs;
    /// The state after the last step read: forward, after t = T−1 (= after each sequence's last
    /// real token, as padded steps carry the state); backward, after t = 0.
    CellState last;
};

/// Runs `cell` over xs (B, T, I), one step per position:
/// \f$ s_t = \mathrm{keep}_t \odot \mathrm{cell}(x_t, s_{t-1}) + (1 - \mathrm{keep}_t) \odot s_{t-1} \f$
/// (with \f$ s_{t+1} \f$ in place of \f$ s_{t-1} \f$ for Direction::backward).
///
/// - `initial`: the state before the first step read, h (B, H) (and c for an LSTM). Pass
///   `{}` to start from zeros (cell.initial_state(B)). For truncated backpropagation through
///   time, pass the last window's `last.detach()`.
/// - `keep`: (B, T), 1 at a real token and 0 at padding; `{}` (the default, a 0-D Array)
///   means every position is real.
///   Any pattern works (a 0 anywhere carries the state over that step); right padding is
///   what makes the backward direction start at each sequence's last real token.
///
/// T must be at least 1 (T = 1 is a single step, as when sampling one token at a time);
/// a sequence of length 0 within a batch (a keep row of zeros) keeps `initial` throughout.
/// The cell is used only through forward(), initial_state() and its sizes, so any
/// RecurrentCell works — also a wrapper that, say, ignores the state it is given.
///
/// Throws ShapeError naming the cell and both shapes when xs is not (B, T, I) or keep not
/// (B, T); ValueError when keep holds something other than 0 and 1.
Unrolled unroll(const RecurrentCell& cell, const Tensor& xs, const CellState& initial, const Array& keep = {},
                Direction direction = Direction::forward);

/// A recurrent layer over whole sequences: a cell of kind "rnn", "gru" or "lstm" run with
/// unroll from a zero state — and, if bidirectional, a second cell of its own run backwards
/// over the same input, its h_t placed beside the first's:
/// \f$ o_t = [\overrightarrow{h}_t ; \overleftarrow{h}_t] \f$ (Bahdanau et al., 2015, the encoder).
///
/// Parameters: the forward cell's under "forward." and the backward cell's under
/// "backward." (`forward.weight_x`, `backward.bias`, …); D = 2 directions doubles the cell's
/// count (nn/rnn.hpp has the formulas). PyTorch's nn.RNN/GRU/LSTM, with one layer.
class RNN : public Module {
  public:
    struct Output {
        Tensor outputs;           ///< (B, T, D·H): every h_t, forward then backward along the last axis
        CellState last;           ///< forward direction: the state after each sequence's last real token
        CellState last_backward;  ///< backward direction: the state after position 0 (each
                                  ///< sequence's first token); undefined unless bidirectional
    };

    RNN(const std::string& kind, std::size_t input_size, std::size_t hidden_size, Rng& rng,
        bool bidirectional = false);

    /// xs (B, T, I), keep (B, T) or `{}` (no padding) -> outputs (B, T, D·H) and the last states.
    Output forward(const Tensor& xs, const Array& keep = {}) const;
    Output operator()(const Tensor& xs, const Array& keep = {}) const { return forward(xs, keep); }

    std::string describe() const override;  ///< "RNN(gru, 3, 4, bidirectional)"
    std::size_t input_size() const { return forward_cell->input_size(); }
    std::size_t hidden_size() const { return forward_cell->hidden_size(); }
    bool bidirectional() const { return backward_cell != nullptr; }
    /// Size of the last axis of outputs: H, or 2H when bidirectional.
    std::size_t output_size() const { return (bidirectional() ? 2 : 1) * hidden_size(); }

    std::shared_ptr<RecurrentCell> forward_cell;   ///< registered as "forward"
    std::shared_ptr<RecurrentCell> backward_cell;  ///< registered as "backward"; null unless bidirectional

  private:
    std::string kind_;
};

}  // namespace dikkat::nn
