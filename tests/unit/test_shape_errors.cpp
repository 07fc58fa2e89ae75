// Every op that can be given incompatible shapes says so itself — op, both shapes, what was
// expected — before xtensor sees them. xtensor's own messages never reach a learner.
#include <doctest/doctest.h>

#include <dikkat/dikkat.hpp>

#include "../support/error_of.hpp"

using namespace dikkat;

namespace {
Tensor t(const Shape& shape) { return Tensor(Array(xt::zeros<float>(shape)), true); }
}  // namespace

#define CHECK_ERROR_SAYS(expr, ...)                                                                     \
    do {                                                                                                \
        const std::string msg = error_of([&] { (void)(expr); });                                        \
        for (const char* part : {__VA_ARGS__}) CHECK_MESSAGE(msg.find(part) != std::string::npos, msg); \
    } while (0)

TEST_CASE("binary ops name both shapes when they do not broadcast") {
    CHECK_ERROR_SAYS(t({2, 3}) + t({4}), "add:", "(2, 3)", "(4,)", "do not broadcast");
    CHECK_ERROR_SAYS(t({2, 3}) - t({3, 2}), "sub:", "(2, 3)", "(3, 2)");
    CHECK_ERROR_SAYS(t({5}) * t({4}), "mul:", "(5,)", "(4,)", "sizes 5 and 4");
    CHECK_ERROR_SAYS(t({2, 2}) / t({3}), "div:", "(2, 2)", "(3,)");
    CHECK_THROWS_AS(t({2, 3}) + t({4}), ShapeError);
}

TEST_CASE("matmul names both shapes when inner dimensions differ") {
    const std::string inner = error_of([] { matmul(t({2, 3}), t({4, 5})); });
    CHECK(inner ==
          "matmul: inner dimensions differ: a is (2, 3), b is (4, 5); a.shape[-1] must "
          "equal b.shape[-2] (3 vs 4)");
    CHECK_ERROR_SAYS(matmul(t({3}), t({3, 2})), "matmul:", "at least 2 dimensions", "(3,)");
    CHECK_ERROR_SAYS(matmul(t({2, 3, 4}), t({3, 4, 5})), "matmul: batch dimensions", "(2, 3, 4)",
                     "(3, 4, 5)");
}

TEST_CASE("shape ops say what cannot be done") {
    CHECK_ERROR_SAYS(reshape(t({2, 3}), {4, 2}), "reshape:", "(2, 3)", "(4, 2)", "6 elements");
    CHECK_ERROR_SAYS(reshape(t({2, 3}), {-1, 4}), "reshape:", "not a multiple of 4");
    CHECK_ERROR_SAYS(reshape(t({2, 3}), {-1, -1}), "reshape:", "only one size may be -1");
    CHECK_ERROR_SAYS(permute(t({2, 3}), {0, 0}), "permute:", "not a permutation", "(2, 3)");
    CHECK_ERROR_SAYS(transpose(t({2, 3}), 0, 2), "transpose:", "axis 2 is out of range");
    CHECK_ERROR_SAYS(slice(t({2, 3}), 1, 2, 5), "slice:", "[2, 5)", "size 3", "(2, 3)");
    CHECK_ERROR_SAYS(select(t({2, 3}), 0, 2), "select:", "index 2", "size 2");
    CHECK_ERROR_SAYS(concat({t({2, 3}), t({3, 3})}, 1), "concat:", "tensor 1", "(3, 3)", "(2, 3)",
                     "except axis 1");
    CHECK_ERROR_SAYS(stack({t({2, 3}), t({2, 4})}, 0), "stack:", "tensor 1", "(2, 4)", "(2, 3)");
}

TEST_CASE("reductions and softmax reject axes that do not exist") {
    CHECK_ERROR_SAYS(sum(t({2, 3}), {2}), "sum:", "axis 2", "2 dimensions");
    CHECK_ERROR_SAYS(mean(t({2, 3}), {-3}), "mean:", "axis -3");
    CHECK_ERROR_SAYS(max(t({2, 3}), 5), "max:", "axis 5");
    CHECK_ERROR_SAYS(softmax(t({2, 3}), 2), "softmax:", "axis 2");
    CHECK_ERROR_SAYS(log_softmax(t({2}), -2), "log_softmax:", "axis -2");
}

TEST_CASE("fill_hidden needs a keep mask that broadcasts to x") {
    CHECK_ERROR_SAYS(fill_hidden(t({2, 3}), Array(xt::zeros<float>({3, 3})), 0.0f), "fill_hidden:", "(3, 3)",
                     "(2, 3)", "do not broadcast");
    CHECK_ERROR_SAYS(fill_hidden(t({3}), Array(xt::zeros<float>({2, 3})), 0.0f),
                     "fill_hidden:", "keep (2, 3)", "x (3,)", "without making it larger");
    // A (B, Tk) padding mask over scores (B, Tq, Tk) without its query axis: B meets Tq.
    CHECK_ERROR_SAYS(fill_hidden(t({2, 3, 4}), padding_mask({4, 1}, 4), -1e9f), "fill_hidden:", "(2, 3, 4)",
                     "(2, 4)");
    CHECK_ERROR_SAYS(padding_mask({2, 5}, 4), "padding_mask:", "sequence 1", "length 5", "4 positions");
}

TEST_CASE("matmul with transpose_b names both shapes and the axes that must match") {
    CHECK(error_of([] {
              matmul(t({2, 3}), t({3, 4}), /*transpose_b=*/true);
          }) ==
          "matmul: inner dimensions differ: a is (2, 3), b is (3, 4); with transpose_b, a.shape[-1] "
          "must equal b.shape[-1] (3 vs 4)");
    CHECK_ERROR_SAYS(matmul(t({2, 2, 3}), t({3, 5, 3}), true), "matmul: batch dimensions", "(2, 2, 3)",
                     "(3, 5, 3)");
}

TEST_CASE("argmax and topk reject bad axes and a k larger than the axis") {
    const Array x = xt::zeros<float>({2, 3});
    CHECK_ERROR_SAYS(argmax(x, 2), "argmax:", "axis 2", "2 dimensions");
    CHECK_ERROR_SAYS(argmax(Array(xt::zeros<float>({2, 0}))), "argmax:", "(2, 0)", "empty");
    CHECK_ERROR_SAYS(topk(x, 1, -3), "topk:", "axis -3");
    CHECK_ERROR_SAYS(topk(x, 4), "topk:", "k = 4", "3 elements", "axis 1", "(2, 3)");
    CHECK_THROWS_AS(topk(x, 4), ValueError);
    CHECK_THROWS_AS(argmax(x, 2), ShapeError);
}

TEST_CASE("embedding, layer_norm and losses check their arguments") {
    CHECK_ERROR_SAYS(embedding(t({4}), IndexArray{0}), "embedding:", "2-D", "(4,)");
    CHECK_ERROR_SAYS(embedding(t({4, 2}), IndexArray{1, 4}), "embedding:", "id 4", "[0, 4)");
    CHECK_ERROR_SAYS(layer_norm(t({2, 5}), t({4}), t({5})), "layer_norm:", "(4,)", "(5,)", "(2, 5)");
    CHECK_ERROR_SAYS(cross_entropy(t({4, 10}), IndexArray{1, 2, 3}), "cross_entropy:", "(4, 10)", "(4,)",
                     "(3,)");
    CHECK_ERROR_SAYS(cross_entropy(t({2, 3}), IndexArray{1, 3}), "cross_entropy:", "target 3", "[0, 3)");
    CHECK_ERROR_SAYS(mse(t({2, 3}), t({3, 2})), "mse:", "(2, 3)", "(3, 2)");
    Rng rng(0);
    CHECK_ERROR_SAYS(dropout(t({2}), 1.0f, rng), "dropout:", "[0, 1)");
}

TEST_CASE("backward names the seed's shape when it does not match") {
    Tensor x = t({2});
    CHECK_ERROR_SAYS((x * 2.0f).backward(Array{1.0f, 2.0f, 3.0f}), "backward:", "(3,)", "(2,)");
}

TEST_CASE("shape errors are ShapeErrors, thrown before xtensor runs") {
    CHECK_THROWS_AS(matmul(t({2, 3}), t({4, 5})), ShapeError);
    CHECK_THROWS_AS(t({2}) * t({3}), ShapeError);
    CHECK_THROWS_AS(reshape(t({2}), {3}), ShapeError);
}
