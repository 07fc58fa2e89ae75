#include "templates.hpp"

#include <dikkat/error.hpp>

namespace dikkat::gen {

void Templates::add(const std::string& rule, const std::vector<std::string>& options) {
    std::vector<std::string>& v = rules_[rule];
    v.insert(v.end(), options.begin(), options.end());
}

std::string Templates::pick(const std::string& rule, Rng& rng, const Vars& vars) const {
    auto it = rules_.find(rule);
    if (it == rules_.end() || it->second.empty()) throw ValueError("templates: no rule named {" + rule + "}");
    const std::vector<std::string>& options = it->second;
    return expand(options[rng.below(static_cast<std::uint32_t>(options.size()))], rng, vars);
}

std::string Templates::expand(const std::string& text, Rng& rng, const Vars& vars) const {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t open = text.find('{', i);
        if (open == std::string::npos) {
            out.append(text, i, std::string::npos);
            break;
        }
        std::size_t close = text.find('}', open);
        if (close == std::string::npos) throw ValueError("templates: unclosed { in: " + text);
        out.append(text, i, open - i);
        std::string name = text.substr(open + 1, close - open - 1);
        auto v = vars.find(name);
        out += v != vars.end() ? v->second : pick(name, rng, vars);
        i = close + 1;
    }
    return out;
}

}  // namespace dikkat::gen
