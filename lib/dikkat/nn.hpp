// Modules, one include away: the Module base and the layers built on it.
#pragma once

#include <dikkat/nn/attention.hpp>
#include <dikkat/nn/batch_norm.hpp>
#include <dikkat/nn/conv.hpp>
#include <dikkat/nn/dropout.hpp>
#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/layer_norm.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/module.hpp>
#include <dikkat/nn/residual.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/nn/sample.hpp>
#include <dikkat/nn/sequence.hpp>
#include <dikkat/nn/sequential.hpp>
#include <dikkat/nn/tied_linear.hpp>
#include <dikkat/nn/transformer.hpp>
