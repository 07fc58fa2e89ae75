#include <dikkat/data/streams.hpp>

#include <dikkat/data/datasets.hpp>
#include <dikkat/error.hpp>

namespace dikkat::data {

StreamBatcher::StreamBatcher(const std::vector<Index>& tokens, std::size_t batch, std::size_t window)
    : tokens_(tokens), batch_(batch), window_(window), stream_length_(batch ? tokens.size() / batch : 0) {
    if (batch == 0 || window == 0) throw ValueError("StreamBatcher: batch and window must be positive");
    if (stream_length_ < window + 1)
        throw ValueError("StreamBatcher: " + std::to_string(tokens.size()) + " tokens are too few for " +
                         std::to_string(batch) + " streams of at least " + std::to_string(window + 1) +
                         " tokens (one window plus its last target)");
}

void StreamBatcher::next(IndexArray& x, IndexArray& y) {
    if (position_ + window_ + 1 > stream_length_) position_ = 0;  // the pass is over: start the next
    x = IndexArray(IndexArray::shape_type{batch_, window_});
    y = IndexArray(IndexArray::shape_type{batch_, window_});
    for (std::size_t b = 0; b < batch_; ++b) {
        const std::size_t start = b * stream_length_ + position_;
        for (std::size_t t = 0; t < window_; ++t) {
            x(b, t) = tokens_[start + t];
            y(b, t) = tokens_[start + t + 1];
        }
    }
    position_ += window_;
}

void StreamBatcher::set_state(const std::string& text) {
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    const std::size_t position = digits && text.size() < 19 ? static_cast<std::size_t>(std::stoull(text)) : 0;
    if (!digits || text.size() >= 19 || position % window_ != 0 || position > stream_length_)
        throw ValueError("StreamBatcher::set_state: \"" + text.substr(0, 40) +
                         "\" is not a position of these windows (a multiple of " + std::to_string(window_) +
                         " up to " + std::to_string(stream_length_) + ")");
    position_ = position;
}

std::vector<Index> word_stream(const std::vector<std::string>& paragraphs, const Vocab& vocab) {
    std::vector<Index> ids;
    for (const std::string& paragraph : paragraphs) {
        for (const std::string& w : split_words(paragraph)) ids.push_back(vocab.id(w));
        ids.push_back(Vocab::eos_id);
    }
    return ids;
}

}  // namespace dikkat::data
