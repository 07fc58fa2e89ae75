// Every differentiable operation, one include away. Each file in ops/ keeps an op's forward
// and backward side by side, with the math on top.
#pragma once

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/ops/reduce.hpp>
#include <dikkat/ops/shape.hpp>
#include <dikkat/ops/softmax.hpp>
