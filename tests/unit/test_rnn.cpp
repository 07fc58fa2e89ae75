// The recurrent cells of lesson 1 and the sequence runner built on them (nn::unroll, nn::RNN):
// parameter counts against the formula, gradient checks through a few unrolled steps and
// through padding, padding that leaves the state exactly unchanged, and clear errors for
// wrong shapes.
#include <doctest/doctest.h>

#include <dikkat/dikkat.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/nn/sequence.hpp>

using namespace dikkat;

namespace {
// The worst error of a module's parameter gradients against central differences of `loss`
// (gradcheck's measure; parameters are leaves of the module, so they are perturbed in place).
double worst_parameter_error(nn::Module& module, const std::function<Tensor()>& loss) {
    module.zero_grad();
    loss().backward();
    double worst = 0.0;
    for (const auto& [name, p] : module.named_parameters()) {
        Tensor q = p;
        const Array analytic = q.grad();
        for (std::size_t i = 0; i < q.numel(); ++i) {
            float& v = q.mutable_value().data()[i];
            const float old = v;
            NoGrad no_grad;
            v = old + 1e-2f;
            const double up = loss().item();
            v = old - 1e-2f;
            const double down = loss().item();
            v = old;
            const double numeric = (up - down) / 2e-2;
            const double a = analytic.data()[i];
            worst = std::max(worst, std::abs(a - numeric) / std::max({std::abs(a), std::abs(numeric), 1.0}));
        }
    }
    return worst;
}

// ---- the sequences the checks run on ----------------------------------------------------
// B batch, T time, I input size, H hidden size

const char* const kKinds[] = {"rnn", "gru", "lstm"};
const std::size_t kB = 3, kT = 4, kI = 3, kH = 4;
// Right-padded lengths: one full sequence, one half, one of a single token.
const std::vector<std::size_t> kLengths = {4, 2, 1};

const char* name_of(nn::Direction d) { return d == nn::Direction::forward ? "forward" : "backward"; }

// Row b of a (B, ...) array.
Array row(const Array& a, std::size_t b) { return xt::view(a, b); }

// A state that is not zero (so carrying it is visible): h, and c for an LSTM.
nn::CellState some_state(const nn::RecurrentCell& cell, std::size_t B, std::uint64_t seed) {
    Rng rng(seed);
    nn::CellState s = cell.initial_state(B);
    s.h = Tensor(rng.normal_array({B, cell.hidden_size()}, 0.0f, 0.5f));
    if (s.c.defined()) s.c = Tensor(rng.normal_array({B, cell.hidden_size()}, 0.0f, 0.5f));
    return s;
}

// Lesson 1's loop, written by hand: one cell step per position, the state carried along.
std::vector<nn::CellState> hand_loop(const nn::RecurrentCell& cell, const Tensor& xs, nn::CellState s) {
    std::vector<nn::CellState> states;
    for (std::size_t t = 0; t < xs.shape()[1]; ++t) {
        s = cell.forward(select(xs, 1, t), s);  // (B, H)
        states.push_back(s);
    }
    return states;
}

// The outputs and the last state side by side, (B, T+1, H) or (B, T+2, H) with an LSTM's c,
// so that a check covers every tensor unroll returns.
Tensor everything(const nn::Unrolled& run) {
    const auto B = static_cast<std::ptrdiff_t>(run.last.h.shape()[0]);
    const auto H = static_cast<std::ptrdiff_t>(run.last.h.shape()[1]);
    std::vector<Tensor> parts = {run.outputs, reshape(run.last.h, {B, 1, H})};
    if (run.last.c.defined()) parts.push_back(reshape(run.last.c, {B, 1, H}));
    return concat(parts, 1);
}

// Gradient check of `run` (a function of a cell, xs (B, T, I) and the state before the first
// step) with respect to xs and the initial state: h0, and c0 = h0 / 2 for an LSTM. The
// parameters are checked separately, with worst_parameter_error.
using SequenceFn = std::function<Tensor(const nn::RecurrentCell&, const Tensor&, const nn::CellState&)>;
void check_sequence_gradient(const std::string& name, const std::string& kind, const SequenceFn& run) {
    Rng init(2);
    auto cell = nn::make_cell(kind, kI, kH, init);
    Rng rng(3);
    const Array xs = rng.normal_array({kB, kT, kI});
    const Array h0 = rng.normal_array({kB, kH}, 0.0f, 0.5f);
    auto f = [&](const std::vector<Tensor>& x) {
        nn::CellState s = cell->initial_state(kB);
        s.h = x[1];
        if (s.c.defined()) s.c = x[1] * 0.5f;
        return run(*cell, x[0], s);
    };
    GradcheckResult r = gradcheck(name, f, {xs, h0});
    MESSAGE(r.summary());
    CHECK_MESSAGE(r.passed, r.summary());
}

// The cell stepped by hand (no unroll), every h_t stacked: (B, T, H).
void check_steps(const std::string& kind) {
    check_sequence_gradient(kind + " cell, 4 steps", kind,
                            [](const nn::RecurrentCell& cell, const Tensor& xs, const nn::CellState& s) {
                                std::vector<Tensor> hs;
                                for (const nn::CellState& st : hand_loop(cell, xs, s)) hs.push_back(st.h);
                                return stack(hs, 1);
                            });
}
}  // namespace

TEST_CASE("recurrent cells register every parameter (counted against the formula)") {
    Rng rng(0);
    const std::size_t I = 5, H = 7;
    CHECK(nn::RNNCell(I, H, rng).num_parameters() == I * H + H * H + H);
    CHECK(nn::GRUCell(I, H, rng).num_parameters() == 3 * (I * H + H * H + 2 * H));
    CHECK(nn::LSTMCell(I, H, rng).num_parameters() == 4 * (I * H + H * H + H));
    CHECK(nn::RNNCell(I, H, rng).named_parameters().size() == 3);
    CHECK(nn::GRUCell(I, H, rng).named_parameters().size() == 4);
    CHECK(nn::LSTMCell(I, H, rng).named_parameters().size() == 3);
}

TEST_CASE("recurrent cells start in PyTorch's range U(-1/sqrt(H), 1/sqrt(H))") {
    Rng rng(1);
    nn::LSTMCell cell(3, 16, rng);
    for (const Tensor& p : cell.parameters()) {
        CHECK(xt::amax(p.value())() <= 0.25f);
        CHECK(xt::amin(p.value())() >= -0.25f);
    }
}

TEST_CASE("gradcheck: RNNCell through 4 steps") { check_steps("rnn"); }
TEST_CASE("gradcheck: GRUCell through 4 steps") { check_steps("gru"); }
TEST_CASE("gradcheck: LSTMCell through 4 steps") { check_steps("lstm"); }

TEST_CASE("recurrent cells' parameter gradients match finite differences") {
    for (const char* kind : {"rnn", "gru", "lstm"}) {
        Rng init(4);
        auto cell = nn::make_cell(kind, 3, 4, init);
        Rng rng(5);
        const Array xs = rng.normal_array({3, 2, 3});
        const Array R = rng.normal_array({2, 4});
        auto loss = [&] {
            nn::CellState s = cell->initial_state(2);
            for (std::size_t t = 0; t < 3; ++t) s = cell->forward(Tensor(Array(xt::view(xs, t))), s);
            return sum(s.h * Tensor(R));
        };
        const double worst = worst_parameter_error(*cell, loss);
        MESSAGE(std::string(kind) << " parameters: worst error " << worst);
        CHECK(worst < GradcheckOptions{}.tolerance);
    }
}

TEST_CASE("recurrent cells name the shape they expected") {
    Rng rng(0);
    nn::GRUCell cell(3, 4, rng);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 5}), cell.initial_state(2)),
                         doctest::Contains("GRUCell(3, 4): input x is (2, 5); expected (B, 3)"), ShapeError);
    CHECK_THROWS_WITH_AS(cell.forward(zeros({2, 3}), cell.initial_state(3)),
                         doctest::Contains("state h is (3, 4); expected (2, 4)"), ShapeError);
    CHECK_THROWS_WITH_AS(nn::make_cell("transformer", 3, 4, rng), doctest::Contains("rnn, gru or lstm"),
                         ValueError);
}

// ---- nn::unroll and nn::RNN: whole sequences, with padding ---------------------------------

TEST_CASE("unroll equals lesson 1's hand loop, value for value, when nothing is padded") {
    for (const char* kind : kKinds) {
        CAPTURE(kind);
        Rng rng(10);
        auto cell = nn::make_cell(kind, kI, kH, rng);
        const Tensor xs(rng.normal_array({kB, kT, kI}));
        const nn::CellState s0 = some_state(*cell, kB, 11);
        const std::vector<nn::CellState> by_hand = hand_loop(*cell, xs, s0);
        // No keep at all, and a keep of all ones (the same fast path): both exactly the hand loop.
        for (const Array& keep : {Array(), Array(xt::ones<float>({kB, kT}))}) {
            const nn::Unrolled run = nn::unroll(*cell, xs, s0, keep);
            REQUIRE(run.hs.size() == kT);
            for (std::size_t t = 0; t < kT; ++t) CHECK(run.hs[t].value() == by_hand[t].h.value());
            CHECK(run.outputs.shape() == Shape{kB, kT, kH});
            for (std::size_t t = 0; t < kT; ++t)
                CHECK(Array(xt::view(run.outputs.value(), xt::all(), t)) == by_hand[t].h.value());
            CHECK(run.last.h.value() == by_hand.back().h.value());
            if (run.last.c.defined()) CHECK(run.last.c.value() == by_hand.back().c.value());
        }
    }
}

TEST_CASE("unroll hands back every h_t of the graph itself: each can retain its gradient") {
    // Lesson 1 plots |dL/dh_t| going back in time from a loss at the last step.
    Rng rng(12);
    nn::RNNCell cell(kI, kH, rng);
    const Tensor xs(rng.normal_array({kB, kT, kI}));
    const Array R = rng.normal_array({kB, kH});
    nn::Unrolled run = nn::unroll(cell, xs, {});
    for (Tensor& h : run.hs) h.retain_grad();
    sum(select(run.outputs, 1, kT - 1) * Tensor(R)).backward();
    CHECK(run.hs[kT - 1].grad() == R);  // dL/dh_{T-1} = R
    for (std::size_t t = 0; t + 1 < kT; ++t) CHECK(xt::amax(xt::abs(run.hs[t].grad()))() > 0.0f);
}

TEST_CASE("a padded step passes the state on unchanged, exactly (h, and c for an LSTM)") {
    const Array keep = padding_mask(kLengths, kT);  // (B, T)
    for (const char* kind : kKinds) {
        CAPTURE(kind);
        Rng rng(13);
        auto cell = nn::make_cell(kind, kI, kH, rng);
        const Tensor xs(rng.normal_array({kB, kT, kI}, 0.0f, 3.0f));  // padding holds junk, not zeros
        const nn::CellState s0 = some_state(*cell, kB, 14);
        const nn::Unrolled run = nn::unroll(*cell, xs, s0, keep);
        for (std::size_t b = 0; b < kB; ++b) {
            const std::size_t len = kLengths[b];
            CAPTURE(b);
            // The output at every padded step, and the last state, is the state after the last real token.
            for (std::size_t t = len; t < kT; ++t)
                CHECK(row(run.hs[t].value(), b) == row(run.hs[len - 1].value(), b));
            CHECK(row(run.last.h.value(), b) == row(run.hs[len - 1].value(), b));
            // ... and that state is what the unpadded prefix of the same batch ends with.
            const nn::Unrolled prefix = nn::unroll(*cell, slice(xs, 1, 0, len), s0);
            CHECK(row(run.last.h.value(), b) == row(prefix.last.h.value(), b));
            if (run.last.c.defined()) CHECK(row(run.last.c.value(), b) == row(prefix.last.c.value(), b));
        }
    }
}

TEST_CASE("padded positions of xs get exactly zero gradient, in both directions") {
    const Array keep = padding_mask(kLengths, kT);
    for (const char* kind : kKinds)
        for (nn::Direction direction : {nn::Direction::forward, nn::Direction::backward}) {
            CAPTURE(kind);
            CAPTURE(name_of(direction));
            Rng rng(15);
            auto cell = nn::make_cell(kind, kI, kH, rng);
            Tensor xs(rng.normal_array({kB, kT, kI}), /*requires_grad=*/true);
            const nn::Unrolled run = nn::unroll(*cell, xs, some_state(*cell, kB, 16), keep, direction);
            const Tensor all = everything(run);
            sum(all * Tensor(rng.normal_array(all.shape()))).backward();
            const Array& g = xs.grad();  // (B, T, I)
            for (std::size_t b = 0; b < kB; ++b)
                for (std::size_t t = 0; t < kT; ++t) {
                    CAPTURE(b);
                    CAPTURE(t);
                    const float largest = xt::amax(xt::abs(xt::view(g, b, t)))();
                    if (t < kLengths[b])
                        CHECK(largest > 0.0f);
                    else
                        CHECK(largest == 0.0f);
                }
        }
}

TEST_CASE("unroll backwards starts each right-padded sequence at its own last real token") {
    // Every sequence of a padded batch, run backwards, gives what it gives run alone, unpadded.
    // (Close, not bitwise: BLAS may round a product of 1 row differently from one of 3.)
    const Array keep = padding_mask(kLengths, kT);
    for (const char* kind : kKinds)
        for (nn::Direction direction : {nn::Direction::backward, nn::Direction::forward}) {
            CAPTURE(kind);
            CAPTURE(name_of(direction));
            Rng rng(17);
            auto cell = nn::make_cell(kind, kI, kH, rng);
            const Tensor xs(rng.normal_array({kB, kT, kI}));
            const nn::Unrolled batch = nn::unroll(*cell, xs, {}, keep, direction);
            for (std::size_t b = 0; b < kB; ++b) {
                const std::size_t len = kLengths[b];
                CAPTURE(b);
                const Tensor alone_xs = slice(slice(xs, 0, b, b + 1), 1, 0, len);  // (1, len, I)
                const nn::Unrolled alone = nn::unroll(*cell, alone_xs, {}, {}, direction);
                for (std::size_t t = 0; t < len; ++t) {
                    CAPTURE(t);
                    CHECK(xt::allclose(row(batch.hs[t].value(), b), row(alone.hs[t].value(), 0), 0.0, 1e-6));
                }
                CHECK(xt::allclose(row(batch.last.h.value(), b), row(alone.last.h.value(), 0), 0.0, 1e-6));
                if (batch.last.c.defined())
                    CHECK(
                        xt::allclose(row(batch.last.c.value(), b), row(alone.last.c.value(), 0), 0.0, 1e-6));
            }
        }
}

static void check_unroll(const std::string& kind, nn::Direction direction) {
    const Array keep = padding_mask(kLengths, kT);
    check_sequence_gradient(kind + " unroll through padding, " + name_of(direction), kind,
                            [&](const nn::RecurrentCell& cell, const Tensor& xs, const nn::CellState& s) {
                                return everything(nn::unroll(cell, xs, s, keep, direction));
                            });
}

TEST_CASE("gradcheck: unroll an RNNCell through padding, forward and backward") {
    check_unroll("rnn", nn::Direction::forward);
    check_unroll("rnn", nn::Direction::backward);
}
TEST_CASE("gradcheck: unroll a GRUCell through padding, forward and backward") {
    check_unroll("gru", nn::Direction::forward);
    check_unroll("gru", nn::Direction::backward);
}
TEST_CASE("gradcheck: unroll an LSTMCell through padding, forward and backward") {
    check_unroll("lstm", nn::Direction::forward);
    check_unroll("lstm", nn::Direction::backward);
}

TEST_CASE("a bidirectional RNN's parameter gradients through padding match finite differences") {
    const Array keep = padding_mask(kLengths, kT);
    for (const char* kind : kKinds) {
        Rng init(20);
        nn::RNN rnn(kind, kI, kH, init, /*bidirectional=*/true);
        Rng rng(21);
        const Tensor xs(rng.normal_array({kB, kT, kI}));
        const Tensor R(rng.normal_array({kB, kT, 2 * kH}));
        const Tensor R_last(rng.normal_array({kB, kH}));
        auto loss = [&] {
            nn::RNN::Output out = rnn(xs, keep);
            return sum(out.outputs * R) + sum(out.last.h * R_last) + sum(out.last_backward.h * R_last);
        };
        const double worst = worst_parameter_error(rnn, loss);
        MESSAGE(std::string(kind) << " bidirectional parameters: worst error " << worst);
        CHECK(worst < GradcheckOptions{}.tolerance);
    }
}

TEST_CASE("a bidirectional RNN is two unidirectional runs, concatenated") {
    const Array keep = padding_mask(kLengths, kT);
    for (const char* kind : kKinds) {
        CAPTURE(kind);
        Rng rng(22);
        nn::RNN rnn(kind, kI, kH, rng, /*bidirectional=*/true);
        const Tensor xs(rng.normal_array({kB, kT, kI}));
        const nn::RNN::Output out = rnn(xs, keep);
        const nn::Unrolled fwd = nn::unroll(*rnn.forward_cell, xs, {}, keep);
        const nn::Unrolled bwd = nn::unroll(*rnn.backward_cell, xs, {}, keep, nn::Direction::backward);
        CHECK(out.outputs.shape() == Shape{kB, kT, 2 * kH});
        CHECK(out.outputs.value() == concat({fwd.outputs, bwd.outputs}, 2).value());
        CHECK(out.last.h.value() == fwd.last.h.value());
        CHECK(out.last_backward.h.value() == bwd.last.h.value());
        if (fwd.last.c.defined()) CHECK(out.last_backward.c.value() == bwd.last.c.value());
        // One direction: the forward run alone, and no backward state.
        Rng rng1(22);
        nn::RNN uni(kind, kI, kH, rng1);
        const nn::RNN::Output one = uni(xs, keep);
        CHECK(one.outputs.value() == nn::unroll(*uni.forward_cell, xs, {}, keep).outputs.value());
        CHECK_FALSE(one.last_backward.h.defined());
    }
}

TEST_CASE("sequence modules register every parameter (counted against the formula)") {
    Rng rng(0);
    const std::size_t I = 5, H = 7;
    const std::size_t per_cell[] = {I * H + H * H + H, 3 * (I * H + H * H + 2 * H), 4 * (I * H + H * H + H)};
    for (std::size_t k = 0; k < 3; ++k) {
        CAPTURE(kKinds[k]);
        nn::RNN uni(kKinds[k], I, H, rng), bi(kKinds[k], I, H, rng, /*bidirectional=*/true);
        CHECK(uni.num_parameters() == per_cell[k]);
        CHECK(bi.num_parameters() == 2 * per_cell[k]);
        CHECK(uni.output_size() == H);
        CHECK(bi.output_size() == 2 * H);
    }
    nn::RNN gru("gru", I, H, rng, /*bidirectional=*/true);
    std::vector<std::string> names;
    for (const auto& [name, p] : gru.named_parameters()) names.push_back(name);
    CHECK(names == std::vector<std::string>{"forward.weight_x", "forward.weight_h", "forward.bias_x",
                                            "forward.bias_h", "backward.weight_x", "backward.weight_h",
                                            "backward.bias_x", "backward.bias_h"});
    CHECK(gru.describe() == "RNN(gru, 5, 7, bidirectional)");
    CHECK(nn::RNN("lstm", I, H, rng).describe() == "RNN(lstm, 5, 7)");
}

TEST_CASE("truncated BPTT: windows that carry the detached state read like one long run") {
    for (const char* kind : kKinds) {
        CAPTURE(kind);
        Rng rng(23);
        auto cell = nn::make_cell(kind, kI, kH, rng);
        Tensor xs(rng.normal_array({kB, 2 * kT, kI}), /*requires_grad=*/true);
        const nn::Unrolled whole = nn::unroll(*cell, xs, {});
        const nn::Unrolled first = nn::unroll(*cell, slice(xs, 1, 0, kT), {});
        const nn::Unrolled second = nn::unroll(*cell, slice(xs, 1, kT, 2 * kT), first.last.detach());
        CHECK(second.outputs.value() == slice(whole.outputs, 1, kT, 2 * kT).value());
        CHECK(second.last.h.value() == whole.last.h.value());
        // The gradient of the second window's loss stops at the window's edge.
        sum(second.outputs).backward();
        CHECK(xt::amax(xt::abs(xt::view(xs.grad(), xt::all(), xt::range(0, kT))))() == 0.0f);
        CHECK(xt::amax(xt::abs(xt::view(xs.grad(), xt::all(), xt::range(kT, 2 * kT))))() > 0.0f);
    }
}

TEST_CASE("unroll over one position is one step of the cell (sampling, token by token)") {
    for (const char* kind : kKinds) {
        CAPTURE(kind);
        Rng rng(24);
        auto cell = nn::make_cell(kind, kI, kH, rng);
        const Tensor x(rng.normal_array({1, kI}));  // (1, I): one token of one sequence
        const nn::CellState s = some_state(*cell, 1, 25);
        const nn::Unrolled run = nn::unroll(*cell, reshape(x, {1, 1, static_cast<std::ptrdiff_t>(kI)}), s);
        const nn::CellState step = cell->forward(x, s);
        CHECK(run.last.h.value() == step.h.value());
        if (step.c.defined()) CHECK(run.last.c.value() == step.c.value());
    }
}

namespace {
// A stand-in for the ablation of lesson 1 (its MemoryWiped lives in lessons/01_rnn_cell/char_lm.hpp):
// the same cell, but every step starts from the zero state, whatever
// state it is given — a wrapper that overrides forward() only.
struct MemoryWiped : nn::RecurrentCell {
    const nn::RecurrentCell& inner;
    explicit MemoryWiped(const nn::RecurrentCell& cell)
        : RecurrentCell(cell.input_size(), cell.hidden_size()), inner(cell) {}
    nn::CellState forward(const Tensor& x, const nn::CellState&) const override {
        return inner.forward(x, inner.initial_state(x.shape()[0]));
    }
    nn::CellState initial_state(std::size_t batch) const override { return inner.initial_state(batch); }
    std::string describe() const override { return "MemoryWiped(" + inner.describe() + ")"; }
};
}  // namespace

TEST_CASE("a cell that ignores its incoming state runs with unroll (lesson 1's memory-wiped ablation)") {
    for (const char* kind : kKinds) {
        CAPTURE(kind);
        Rng rng(26);
        auto cell = nn::make_cell(kind, kI, kH, rng);
        const MemoryWiped wiped(*cell);
        const Tensor xs(rng.normal_array({kB, kT, kI}));
        const nn::Unrolled run = nn::unroll(wiped, xs, some_state(*cell, kB, 27));
        for (std::size_t t = 0; t < kT; ++t)
            CHECK(run.hs[t].value() == cell->forward(select(xs, 1, t), cell->initial_state(kB)).h.value());
        cell->zero_grad();
        sum(run.outputs).backward();
        for (const Tensor& p : cell->parameters()) CHECK(p.has_grad());  // the inner cell still trains
    }
}

TEST_CASE("unroll and RNN name the shape they expected") {
    Rng rng(0);
    nn::GRUCell cell(3, 4, rng);
    nn::RNN rnn("gru", 3, 4, rng, /*bidirectional=*/true);
    CHECK_THROWS_WITH_AS(nn::unroll(cell, zeros({2, 5}), {}),
                         doctest::Contains("unroll(GRUCell(3, 4)): xs is (2, 5); expected (B, T, 3)"),
                         ShapeError);
    CHECK_THROWS_WITH_AS(
        rnn(zeros({2, 5, 7})),
        doctest::Contains("RNN(gru, 3, 4, bidirectional): xs is (2, 5, 7); expected (B, T, 3)"), ShapeError);
    CHECK_THROWS_WITH_AS(rnn(zeros({2, 0, 3})), doctest::Contains("no time steps"), ShapeError);
    CHECK_THROWS_WITH_AS(rnn(zeros({2, 5, 3}), xt::ones<float>({2, 4})),
                         doctest::Contains("keep is (2, 4); expected (2, 5), the (B, T) of xs (2, 5, 3)"),
                         ShapeError);
    Array half = xt::ones<float>({2, 5});
    half(1, 2) = 0.5f;
    CHECK_THROWS_WITH_AS(rnn(zeros({2, 5, 3}), half), doctest::Contains("keep[1, 2] is 0.5"), ValueError);
    CHECK_THROWS_WITH_AS(nn::unroll(cell, zeros({2, 5, 3}), cell.initial_state(3)),
                         doctest::Contains("state h is (3, 4); expected (2, 4)"), ShapeError);
    CHECK_THROWS_WITH_AS(nn::RNN("transformer", 3, 4, rng), doctest::Contains("rnn, gru or lstm"),
                         ValueError);
}
