#include <dikkat/nn/sequence.hpp>

#include <algorithm>
#include <sstream>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/shape.hpp>

namespace dikkat::nn {

namespace {

// Throws unless xs is (B, T, I) with T >= 1 and keep is {} or (B, T) of 0s and 1s.
// `who()` names the caller in the message — "unroll(GRUCell(3, 4))", "RNN(gru, 3, 4)" — and is
// called only when something is wrong (unroll runs once per sampled token: no strings then).
template <class Who>
void check_sequence(const Who& who, const Tensor& xs, const Array& keep, std::size_t input_size) {
    const auto expected = [&] { return "(B, T, " + std::to_string(input_size) + ")"; };
    if (xs.dim() != 3 || xs.shape()[2] != input_size)
        throw ShapeError(who() + ": xs is " + shape_str(xs.shape()) + "; expected " + expected() +
                         " (batch, time, input size)");
    if (xs.shape()[1] == 0)
        throw ShapeError(who() + ": xs is " + shape_str(xs.shape()) + ", with no time steps; expected " +
                         expected() + " with T >= 1");
    if (!has_keep(keep)) return;
    const Shape bt = {xs.shape()[0], xs.shape()[1]};
    if (keep.shape() != bt)
        throw ShapeError(who() + ": keep is " + shape_str(keep.shape()) + "; expected " + shape_str(bt) +
                         ", the (B, T) of xs " + shape_str(xs.shape()));
    for (std::size_t i = 0; i < keep.size(); ++i)
        if (keep.data()[i] != 0.0f && keep.data()[i] != 1.0f) {
            std::ostringstream value;
            value << keep.data()[i];
            throw ValueError(who() + ": keep" + index_str(bt, i) + " is " + value.str() +
                             "; keep holds 1 at a real token and 0 at padding, nothing else");
        }
}

// How many of the B sequences are real at step t.
std::size_t kept_at(const Array& keep, std::size_t t) {
    std::size_t n = 0;
    for (std::size_t b = 0; b < keep.shape()[0]; ++b) n += keep(b, t) != 0.0f;
    return n;
}

// s = keep ⊙ fresh + (1 − keep) ⊙ old, for h and c, with keep_t the column of step t spread
// over each row (B, H), as the products of equal shapes are the fast ones. With keep 0 or 1
// this is exact: a kept row is `fresh` and a padded row `old`, bit for bit, and a padded row
// sends no gradient into `fresh` (so none reaches that step's input).
CellState carry_padded(const CellState& fresh, const CellState& old, const Array& keep, std::size_t t) {
    const std::size_t B = fresh.h.shape()[0], H = fresh.h.shape()[1];
    Array keep_t(Shape{B, H}), hide_t(Shape{B, H});  // keep_t spread over each row, and 1 - keep_t
    for (std::size_t b = 0; b < B; ++b) {
        std::fill_n(keep_t.data() + b * H, H, keep(b, t));
        std::fill_n(hide_t.data() + b * H, H, 1.0f - keep(b, t));
    }
    const Tensor k(std::move(keep_t)), hide(std::move(hide_t));
    CellState s{k * fresh.h + hide * old.h, Tensor()};  // (B, H)
    if (fresh.c.defined()) s.c = k * fresh.c + hide * old.c;
    return s;
}

}  // namespace

// [unroll]
Unrolled unroll(const RecurrentCell& cell, const Tensor& xs, const CellState& initial, const Array& keep,
                Direction direction) {
    check_sequence([&] { return "unroll(" + cell.describe() + ")"; }, xs, keep, cell.input_size());
    const std::size_t B = xs.shape()[0], T = xs.shape()[1];
    CellState state = initial.h.defined() ? initial : cell.initial_state(B);  // h (B, H)
    std::vector<Tensor> hs(T);
    for (std::size_t i = 0; i < T; ++i) {
        const std::size_t t = direction == Direction::forward ? i : T - 1 - i;
        const std::size_t kept = has_keep(keep) ? kept_at(keep, t) : B;
        if (kept == B) {  // no padding at this step: the cell's step as it is
            state = cell.forward(select(xs, 1, t), state);  // x_t (B, I) -> h (B, H)
        } else if (kept > 0) {  // some sequences are padded here: those carry their state
            state = carry_padded(cell.forward(select(xs, 1, t), state), state, keep, t);
        }  // else every sequence is padded here: the state passes unchanged (hs[t] is hs of the step before)
        hs[t] = state.h;
    }
    return {hs, stack(hs, 1), state};  // outputs (B, T, H)
}
// [unroll]

// ---- RNN -----------------------------------------------------------------------------------

RNN::RNN(const std::string& kind, std::size_t input_size, std::size_t hidden_size, Rng& rng,
         bool bidirectional)
    : forward_cell(make_cell(kind, input_size, hidden_size, rng)), kind_(kind) {
    register_module("forward", forward_cell);
    if (bidirectional) {
        backward_cell = make_cell(kind, input_size, hidden_size, rng);
        register_module("backward", backward_cell);
    }
}

std::string RNN::describe() const {
    return "RNN(" + kind_ + ", " + std::to_string(input_size()) + ", " + std::to_string(hidden_size()) +
           (bidirectional() ? ", bidirectional)" : ")");
}

RNN::Output RNN::forward(const Tensor& xs, const Array& keep) const {
    check_sequence([this] { return describe(); }, xs, keep,
                   input_size());  // errors name this module, not its cell
    Unrolled fwd = unroll(*forward_cell, xs, {}, keep, Direction::forward);
    if (!backward_cell) return {fwd.outputs, fwd.last, CellState()};  // (B, T, H)
    Unrolled bwd = unroll(*backward_cell, xs, {}, keep, Direction::backward);
    return {concat({fwd.outputs, bwd.outputs}, 2), fwd.last, bwd.last};  // (B, T, 2H)
}

}  // namespace dikkat::nn
