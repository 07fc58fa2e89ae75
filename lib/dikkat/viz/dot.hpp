// The computation graph as Graphviz DOT text: one box per node (op name and shape — or, for
// a scalar, its value and gradient), one arrow per input. `dot -Tsvg graph.dot -o graph.svg` draws it.
#pragma once

#include <string>

#include <dikkat/autograd.hpp>

namespace dikkat::viz {

/// DOT text of the graph that produced `root`. Leaves that require a gradient (parameters)
/// are drawn green, constants grey, ops as white boxes.
std::string to_dot(const Tensor& root, const std::string& title = "graph");

}  // namespace dikkat::viz
