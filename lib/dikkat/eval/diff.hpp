// Which words of a translation are wrong: the hypothesis is lined up with its reference by their
// longest common subsequence (LCS, the most words the two share in the same order), and every
// word outside it is marked.
//
//     reference   l' actrice n' espère pas qu' un roi soit anglais .
//     hypothesis  l' actrice n' espère pas qu' un roi est anglais
//     marked      l' actrice n' espère pas qu' un roi [est] [+soit] anglais [+.]
//
//   [est]     a hypothesis word that is not in the reference here (wrong or extra)
//   [+soit]   a reference word the hypothesis lacks here (add it to get the reference)
//
// A wrong word is thus "[wrong] [+right]". Between two shared words, the hypothesis's words come
// first, then the missing ones. Keeping the shared words and reading "+" words for bracketed
// ones gives back the reference.
#pragma once

#include <string>
#include <vector>

namespace dikkat::eval {

/// How mark_differences() shows a difference.
enum class DiffStyle {
    brackets,  ///< `[est] [+soit]`: plain text, for files, logs and tests
    colour,    ///< `est` in red, `+soit` in green (ANSI escape codes), for a terminal
};

/// The hypothesis, words separated by spaces, with the words outside the longest common
/// subsequence of hypothesis and reference marked (see the top of this file).
///
/// The LCS comes from the dynamic programme
/// \f$ L_{i,j} = L_{i+1,j+1} + 1 \f$ if \f$ h_i = r_j \f$, else \f$ \max(L_{i+1,j}, L_{i,j+1}) \f$,
/// over suffixes \f$ h_{i:} \f$ and \f$ r_{j:} \f$ — \f$ O(|h| \cdot |r|) \f$ time and memory.
/// Walking from the front, equal words are matched; where skipping either word keeps the LCS
/// just as long, the hypothesis's word is skipped (one fixed choice, so the output never varies).
std::string mark_differences(const std::vector<std::string>& hypothesis,
                             const std::vector<std::string>& reference,
                             DiffStyle style = DiffStyle::brackets);

/// DiffStyle::colour when standard output is a terminal and the NO_COLOR environment variable is
/// not set (no-color.org), else DiffStyle::brackets — so that redirected output stays plain.
DiffStyle diff_style_for_stdout();

/// What the marks mean, in `style`: "[word]: wrong or extra, [+word]: missing", or the colours.
std::string diff_legend(DiffStyle style);

}  // namespace dikkat::eval
