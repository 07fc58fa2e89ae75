// Pictures made of text, for the terminal: a heatmap of shaded blocks and a sparkline.
//
//   terminal_heatmap(attention, target_words, source_words)      sparkline(losses)
//
//            t  e  c  .                                           █▇▆▄▃▃▂▂▁▁▁▁
//            h  u  a
//            e  r  t
//     le     ██ ░░
//     chat      ▒▒ ▓▓
#pragma once

#include <string>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat::viz {

/// A 2-D matrix (rows, cols) as rows of shaded blocks, "  ░░▒▒▓▓██" from the lowest value to
/// the highest (or from lo to hi when lo < hi is given). Row labels go on the left; column
/// labels are written downwards above their column (at most 10 characters each). Labels may
/// be empty vectors. Throws ShapeError for a matrix that is not 2-D and ValueError for a
/// label count that does not match.
std::string terminal_heatmap(const Array& values, const std::vector<std::string>& row_labels = {},
                             const std::vector<std::string>& col_labels = {}, float lo = 0.0f,
                             float hi = 0.0f);

/// One character per value, "▁▂▃▄▅▆▇█" from the lowest to the highest; NaN is a space.
/// With max_width > 0 a longer series is averaged down to max_width characters.
std::string sparkline(const std::vector<float>& values, std::size_t max_width = 0);

}  // namespace dikkat::viz
