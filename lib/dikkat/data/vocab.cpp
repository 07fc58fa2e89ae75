#include <dikkat/data/vocab.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <utility>

#include <dikkat/atomic_file.hpp>
#include <dikkat/error.hpp>

namespace dikkat::data {

namespace {

std::string escape_token(const std::string& token) {
    std::string out;
    for (char c : token) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// Undoes escape_token(); false on a backslash followed by anything else.
bool unescape_token(const std::string& line, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\') {
            out += line[i];
            continue;
        }
        if (++i == line.size()) return false;
        switch (line[i]) {
            case '\\':
                out += '\\';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            default:
                return false;
        }
    }
    return true;
}

}  // namespace

const std::vector<std::string>& Vocab::specials() {
    static const std::vector<std::string> names{"<pad>", "<bos>", "<eos>", "<unk>", "<mask>"};
    return names;
}

Vocab::Vocab() {
    for (const std::string& s : specials()) add(s);
}

Vocab Vocab::from_counts(const TokenCounts& counts, std::size_t min_count, std::size_t max_size) {
    std::vector<std::pair<std::string, std::size_t>> kept;
    for (const auto& [token, n] : counts)
        if (n >= min_count && !token.empty()) kept.emplace_back(token, n);
    std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    Vocab vocab;
    for (const auto& [token, n] : kept) {
        if (max_size > 0 && vocab.size() >= max_size) break;
        vocab.add(token);
    }
    return vocab;
}

Index Vocab::add(const std::string& token) {
    if (token.empty()) throw ValueError("Vocab::add: a token cannot be empty");
    auto it = ids_.find(token);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<Index>(tokens_.size());
    tokens_.push_back(token);
    ids_.emplace(token, id);
    return id;
}

Index Vocab::id(const std::string& token) const {
    auto it = ids_.find(token);
    return it == ids_.end() ? unk_id : it->second;
}

bool Vocab::contains(const std::string& token) const { return ids_.count(token) > 0; }

const std::string& Vocab::token(Index id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= tokens_.size())
        throw ValueError("Vocab::token: id " + std::to_string(id) + " is outside [0, " +
                         std::to_string(tokens_.size()) + ")");
    return tokens_[static_cast<std::size_t>(id)];
}

std::vector<Index> Vocab::encode(const std::vector<std::string>& tokens, bool add_bos_eos) const {
    std::vector<Index> ids;
    ids.reserve(tokens.size() + 2);
    if (add_bos_eos) ids.push_back(bos_id);
    for (const std::string& t : tokens) ids.push_back(id(t));
    if (add_bos_eos) ids.push_back(eos_id);
    return ids;
}

std::vector<std::string> Vocab::decode(const std::vector<Index>& ids, bool skip_specials) const {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (Index i : ids) {
        if (skip_specials) {
            if (i == eos_id) break;
            if (i == pad_id || i == bos_id) continue;
        }
        tokens.push_back(token(i));
    }
    return tokens;
}

void Vocab::save(const std::string& path) const {
    std::string text;
    for (const std::string& t : tokens_) text += escape_token(t) + '\n';
    write_file_atomic(path, text);  // a crash never leaves half a vocabulary behind
}

namespace {
// What is wrong with `token` as entry `i` of a vocabulary holding `so_far`, or "" if nothing:
// the five specials first, in id order, then distinct non-empty tokens.
std::string entry_problem(std::size_t i, const std::string& token, const Vocab& so_far) {
    const auto& specials = Vocab::specials();
    if (i < specials.size())
        return token == specials[i] ? ""
                                    : "expected the special token " + specials[i] + " (id " +
                                          std::to_string(i) + "), found '" + token + "'";
    if (token.empty()) return "an empty token";
    if (so_far.contains(token)) return "duplicate token '" + token + "'";
    return "";
}

std::string too_short(std::size_t n) {
    return "only " + std::to_string(n) +
           " entries; a vocabulary starts with the 5 special tokens <pad> <bos> <eos> <unk> <mask>";
}
}  // namespace

Vocab Vocab::from_tokens(const std::vector<std::string>& tokens) {
    Vocab vocab;  // already holds the specials; the list must repeat them first
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (const std::string problem = entry_problem(i, tokens[i], vocab); !problem.empty())
            throw ValueError("entry " + std::to_string(i) + ": " + problem);
        if (i >= specials().size()) vocab.add(tokens[i]);
    }
    if (tokens.size() < specials().size()) throw ValueError(too_short(tokens.size()));
    return vocab;
}

Vocab Vocab::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("vocabulary " + path + ": cannot open for reading");
    Vocab vocab;
    std::string line, token;
    std::size_t line_no = 0;
    while (std::getline(in, line)) {
        const std::string where = path + ":" + std::to_string(++line_no) + ": ";
        if (!line.empty() && line.back() == '\r') line.pop_back();  // a file edited on Windows
        if (line.empty()) throw IoError(where + "empty line (every line holds one token)");
        if (!unescape_token(line, token))
            throw IoError(where + "bad escape in '" + line + "' (only \\\\, \\n, \\r and \\t are allowed)");
        if (const std::string problem = entry_problem(line_no - 1, token, vocab); !problem.empty())
            throw IoError(where + problem);
        if (line_no > specials().size()) vocab.add(token);
    }
    if (line_no < specials().size()) throw IoError(path + ": " + too_short(line_no));
    return vocab;
}

void count_tokens(const std::vector<std::vector<std::string>>& sequences, TokenCounts& counts) {
    for (const auto& seq : sequences)
        for (const std::string& t : seq) ++counts[t];
}

}  // namespace dikkat::data
