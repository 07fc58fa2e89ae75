// Every differentiable operation, one include away. Each file in ops/ keeps an op's forward
// and backward side by side, with the math on top. Two files hold helpers without a gradient:
// mask.hpp's mask builders (causal_mask, padding_mask, beside the fill_hidden op) and
// topk.hpp (argmax, topk), which pick positions in plain arrays.
#pragma once

#include <dikkat/ops/broadcast.hpp>
#include <dikkat/ops/conv.hpp>
#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/matmul.hpp>
#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/ops/reduce.hpp>
#include <dikkat/ops/shape.hpp>
#include <dikkat/ops/softmax.hpp>
#include <dikkat/ops/topk.hpp>
