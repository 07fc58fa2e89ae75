// Dikkat in one include: the engine, its ops and the gradient checker.
#pragma once

#include <dikkat/autograd.hpp>
#include <dikkat/error.hpp>
#include <dikkat/gradcheck.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/random.hpp>
#include <dikkat/tensor.hpp>
#include <dikkat/viz/dot.hpp>
