// Exercise 0.1 — sigmoid's backward.
//
// The forward pass is done: y = 1 / (1 + e^{-x}), elementwise. Your part is the backward
// function: given dL/dy in self.grad, add dL/dx to the input's gradient.
//
//     dy/dx = y (1 - y)          so   dL/dx = dL/dy * y * (1 - y)
//
// Inside the backward: self.value is y, self.grad is dL/dy, and *self.inputs[0] is x's node;
// send it the gradient with  in.accumulate(Array(...)) .  Look at tanh in
// lib/dikkat/ops/elementwise.cpp for the pattern. Check: ./build/lessons/00_autograd_check
#include <dikkat/dikkat.hpp>

#include "exercises.hpp"

using namespace dikkat;

Tensor exercises::my_sigmoid(const Tensor& x) {
    Tensor y = make_result("my_sigmoid", 1.0f / (1.0f + xt::exp(-x.value())), {x});
    if (y.requires_grad())
        y.node().backward = [](Node& self) {
            Node& in = *self.inputs[0];
            (void)in;
            // TODO: in.accumulate( dL/dx );
            throw NotImplemented(
                "Exercise 0.1: write sigmoid's backward in "
                "lessons/00_autograd/exercises/my_sigmoid.cpp (chapter §5)");
        };
    return y;
}
