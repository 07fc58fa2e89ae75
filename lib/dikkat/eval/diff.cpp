#include <dikkat/eval/diff.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace dikkat::eval {

std::string mark_differences(const std::vector<std::string>& hypothesis,
                             const std::vector<std::string>& reference, DiffStyle style) {
    const std::vector<std::string>& h = hypothesis;
    const std::vector<std::string>& r = reference;
    const std::size_t H = h.size(), R = r.size();
    // L[i][j]: length of the LCS of the suffixes h[i:] and r[j:]; row H and column R are 0.
    std::vector<std::vector<std::size_t>> L(H + 1, std::vector<std::size_t>(R + 1, 0));
    for (std::size_t i = H; i-- > 0;)
        for (std::size_t j = R; j-- > 0;)
            L[i][j] = h[i] == r[j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);

    const bool colour = style == DiffStyle::colour;
    const auto wrong = [&](const std::string& w) {
        return colour ? "\x1b[31m" + w + "\x1b[0m" : "[" + w + "]";
    };
    const auto missing = [&](const std::string& w) {
        return colour ? "\x1b[32m+" + w + "\x1b[0m" : "[+" + w + "]";
    };

    // Walk from the front. Words skipped between two matches are held back, so that each gap
    // shows the hypothesis's words first, then the reference's missing ones.
    std::vector<std::string> out, extra, lacking;
    const auto flush = [&] {
        for (const std::string& w : extra) out.push_back(wrong(w));
        for (const std::string& w : lacking) out.push_back(missing(w));
        extra.clear();
        lacking.clear();
    };
    std::size_t i = 0, j = 0;
    while (i < H || j < R) {
        if (i < H && j < R && h[i] == r[j]) {
            flush();
            out.push_back(h[i]);
            ++i, ++j;
        } else if (j == R || (i < H && L[i + 1][j] >= L[i][j + 1])) {
            extra.push_back(h[i++]);
        } else {
            lacking.push_back(r[j++]);
        }
    }
    flush();

    std::string text;
    for (std::size_t k = 0; k < out.size(); ++k) text += (k == 0 ? "" : " ") + out[k];
    return text;
}

DiffStyle diff_style_for_stdout() {
    const char* no_color = std::getenv("NO_COLOR");
    const bool wants_plain = no_color != nullptr && no_color[0] != '\0';
    return !wants_plain && isatty(fileno(stdout)) != 0 ? DiffStyle::colour : DiffStyle::brackets;
}

std::string diff_legend(DiffStyle style) {
    return style == DiffStyle::colour ? "red: wrong or extra, green +word: missing"
                                      : "[word]: wrong or extra, [+word]: missing";
}

}  // namespace dikkat::eval
