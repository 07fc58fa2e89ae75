// Test helper: "le chat dort ." -> {"le", "chat", "dort", "."} (split on spaces, as the datasets are).
#pragma once

#include <sstream>
#include <string>
#include <vector>

inline std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> tokens;
    for (std::string t; in >> t;) tokens.push_back(t);
    return tokens;
}
