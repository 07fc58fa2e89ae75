// The recurrent cells of lesson 1: parameter counts against the formula, gradient checks
// through a few unrolled steps, and clear errors for wrong shapes.
#include <doctest/doctest.h>

#include <dikkat/dikkat.hpp>
#include <dikkat/nn/rnn.hpp>

using namespace dikkat;

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

// Gradient check of three unrolled steps with respect to the input sequence and the initial
// state (the parameters are checked by the next test).
static void check_cell(const std::string& kind) {
    const std::size_t B = 2, I = 3, H = 4, T = 3;
    Rng init(2);
    auto cell = nn::make_cell(kind, I, H, init);
    Rng rng(3);
    const Array xs = rng.normal_array({T, B, I});
    const Array h0 = rng.normal_array({B, H}, 0.0f, 0.5f);
    auto unroll = [&](const std::vector<Tensor>& x) {
        nn::CellState s = cell->initial_state(B);
        s.h = x[1];
        if (s.c.defined()) s.c = x[1] * 0.5f;
        std::vector<Tensor> hs;
        for (std::size_t t = 0; t < T; ++t) {
            s = cell->forward(select(x[0], 0, t), s);
            hs.push_back(s.h);
        }
        return stack(hs, 0);  // (T, B, H)
    };
    GradcheckResult r = gradcheck(kind + " cell, 3 steps", unroll, {xs, h0});
    MESSAGE(r.summary());
    CHECK_MESSAGE(r.passed, r.summary());
}

TEST_CASE("gradcheck: RNNCell through 3 steps") { check_cell("rnn"); }
TEST_CASE("gradcheck: GRUCell through 3 steps") { check_cell("gru"); }
TEST_CASE("gradcheck: LSTMCell through 3 steps") { check_cell("lstm"); }

TEST_CASE("recurrent cells' parameter gradients match finite differences") {
    // Parameters are leaves of the cell; check them by perturbing their values in place.
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
        cell->zero_grad();
        loss().backward();
        double worst = 0.0;
        for (const auto& [name, p] : cell->named_parameters()) {
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
                worst =
                    std::max(worst, std::abs(a - numeric) / std::max({std::abs(a), std::abs(numeric), 1.0}));
            }
        }
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
