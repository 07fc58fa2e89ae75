#include "char_lm.hpp"

#include <cctype>
#include <sstream>

#include <dikkat/data/streams.hpp>
#include <dikkat/lm/stream_loss.hpp>
#include <dikkat/ops.hpp>

using namespace dikkat;

namespace lesson1 {

namespace {
constexpr std::size_t eval_streams = 16;  // validation: 16 streams side by side,
constexpr std::size_t eval_window = 64;   //   64 characters at a time
}  // namespace

std::string join_lines(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

double bits_per_char(const CharLM& model, const std::vector<Index>& tokens) {
    return lm::stream_nats(model, tokens, eval_streams, eval_window) / ln2;
}

std::string sample_text(const CharLM& model, const data::CharTokenizer& tok, const std::string& prompt,
                        std::size_t length, float temperature, Rng& rng) {
    NoGrad no_grad;
    auto one = [](Index id) { return IndexArray(IndexArray::shape_type{1, 1}, id); };  // (1, 1)
    nn::CellState state;
    Tensor scores;
    auto read = [&](Index id) {  // one character in: the scores for the next, and the state moves on
        CharLM::Output out = model.forward(one(id), state);
        scores = out.scores;
        state = out.run.last;
    };
    for (Index id : tok.encode(prompt)) read(id);
    std::vector<Index> out;
    for (std::size_t i = 0; i < length; ++i) {
        Array z = scores.value();                      // (1, 1, V)
        z.reshape({z.size()});                         // (V)
        for (std::size_t id = 0; id < z.size(); ++id)  // <pad>, <unk>, ... never occur in text
            if (tok.vocab().is_special(static_cast<Index>(id))) z(id) = -1e9f;
        out.push_back(nn::sample_token(z, temperature, rng));
        read(out.back());
    }
    return prompt + tok.decode(out);
}

std::set<std::string> words_of(const std::string& text) {
    std::set<std::string> words;
    std::istringstream in(text);
    for (std::string w; in >> w;) words.insert(w);
    return words;
}

double real_word_fraction(const std::string& text, const std::set<std::string>& words) {
    std::istringstream in(text);
    std::string w;
    std::size_t real = 0, all = 0;
    while (in >> w) {
        std::string letters;
        for (char ch : w)
            if (std::isalpha(static_cast<unsigned char>(ch))) letters += ch;
        if (letters.empty()) continue;
        ++all;
        real += words.count(letters);
    }
    return all ? static_cast<double>(real) / static_cast<double>(all) : 0.0;
}

std::vector<double> gradient_norms(const CharLM& model, const std::vector<Index>& tokens,
                                   std::size_t window) {
    const std::size_t T = window;
    data::StreamBatcher streams(tokens, eval_streams, T);
    IndexArray x, y;
    streams.next(x, y);
    CharLM::Output out = model.forward(x, {});  // scores (B, T, V)
    for (Tensor& h : out.run.hs) h.retain_grad();
    IndexArray last = xt::view(y, xt::all(), T - 1);
    cross_entropy(select(out.scores, 1, T - 1), last).backward();
    std::vector<double> norms;
    for (std::size_t k = 0; k < T; ++k) {
        const Array& g = out.run.hs[T - 1 - k].grad();  // (B, H)
        norms.push_back(std::sqrt(double(xt::sum(g * g)())) / std::sqrt(double(eval_streams)));
    }
    return norms;
}

std::string one_line(std::string text) {
    for (std::size_t at; (at = text.find('\n')) != std::string::npos;) text.replace(at, 1, " ¶ ");
    return text;
}

}  // namespace lesson1
