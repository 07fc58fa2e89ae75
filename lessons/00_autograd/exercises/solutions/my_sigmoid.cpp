// Exercise 0.1 — reference solution.
#include <dikkat/dikkat.hpp>

#include "../exercises.hpp"

using namespace dikkat;

Tensor exercises::my_sigmoid(const Tensor& x) {
    Tensor y = make_result("my_sigmoid", 1.0f / (1.0f + xt::exp(-x.value())), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            in.accumulate(Array(self.grad * self.value * (1.0f - self.value)));  // dy * y (1 - y)
        };
    return y;
}
