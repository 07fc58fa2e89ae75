// Dikkat's engine in one include: tensors, autograd, every op and the gradient checker.
// The building blocks on top have includes of their own — <dikkat/nn.hpp>, <dikkat/optim.hpp>,
// <dikkat/io.hpp> — and data/, viz/ and cli/ headers are included by name.
#pragma once

#include <dikkat/autograd.hpp>
#include <dikkat/error.hpp>
#include <dikkat/gradcheck.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/random.hpp>
#include <dikkat/tensor.hpp>
