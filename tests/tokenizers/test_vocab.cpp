#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <dikkat/data/vocab.hpp>
#include <dikkat/error.hpp>

using namespace dikkat;
using data::Vocab;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / "dikkat_test_tokenizers";
    fs::create_directories(dir);
    return dir / name;
}
void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
}  // namespace

TEST_CASE("every vocabulary starts with the special tokens at fixed ids") {
    Vocab v;
    CHECK(v.size() == 5);
    CHECK(v.id("<pad>") == Vocab::pad_id);
    CHECK(v.id("<bos>") == Vocab::bos_id);
    CHECK(v.id("<eos>") == Vocab::eos_id);
    CHECK(v.id("<unk>") == Vocab::unk_id);
    CHECK(v.id("<mask>") == Vocab::mask_id);
    CHECK(Vocab::pad_id == 0);
}

TEST_CASE("a vocabulary from counts keeps frequent tokens first, ties alphabetically") {
    data::TokenCounts counts{{"the", 10}, {"cat", 3}, {"a", 3}, {"rare", 1}};
    Vocab v = Vocab::from_counts(counts, /*min_count=*/2);
    CHECK(v.size() == 8);
    CHECK(v.token(5) == "the");
    CHECK(v.token(6) == "a");
    CHECK(v.token(7) == "cat");
    CHECK_FALSE(v.contains("rare"));
    Vocab capped = Vocab::from_counts(counts, 1, /*max_size=*/6);
    CHECK(capped.size() == 6);
    CHECK(capped.contains("the"));
}

TEST_CASE("unknown tokens map to <unk>") {
    Vocab v;
    v.add("cat");
    CHECK(v.id("dog") == Vocab::unk_id);
    CHECK(v.encode({"cat", "dog"}) == std::vector<Index>{5, Vocab::unk_id});
    CHECK(v.decode({5, Vocab::unk_id}) == std::vector<std::string>{"cat", "<unk>"});
}

TEST_CASE("decode drops padding and bos and stops at eos") {
    Vocab v;
    const Index cat = v.add("cat");
    CHECK(v.decode({Vocab::bos_id, cat, Vocab::eos_id, cat, Vocab::pad_id}) ==
          std::vector<std::string>{"cat"});
    CHECK(v.decode({Vocab::bos_id, cat, Vocab::eos_id}, /*skip_specials=*/false) ==
          std::vector<std::string>{"<bos>", "cat", "<eos>"});
    CHECK_THROWS_AS(v.decode({99}), ValueError);
}

TEST_CASE("a vocabulary saved and loaded again has the same ids") {
    Vocab v;
    for (const char* t : {"le", "chat", "économique", "a\\b", "tab\there", " "}) v.add(t);
    const fs::path p = scratch("vocab.txt");
    v.save(p.string());
    Vocab back = Vocab::load(p.string());
    CHECK(back.tokens() == v.tokens());
    CHECK(back.id("économique") == v.id("économique"));
    CHECK(back.id("tab\there") == v.id("tab\there"));
}

TEST_CASE("a vocabulary with Windows line endings loads") {
    const fs::path p = scratch("crlf_vocab.txt");
    write(p, "<pad>\r\n<bos>\r\n<eos>\r\n<unk>\r\n<mask>\r\ncat\r\n");
    CHECK(Vocab::load(p.string()).id("cat") == 5);
}

TEST_CASE("loading a bad vocabulary names the file and the line") {
    const fs::path p = scratch("bad_vocab.txt");
    write(p, "<pad>\n<bos>\n<eos>\n<unk>\n<mask>\ncat\n\ndog\n");
    CHECK_THROWS_WITH_AS(Vocab::load(p.string()), doctest::Contains("bad_vocab.txt:7: empty line"), IoError);
    write(p, "<pad>\n<bos>\n<eos>\n<unk>\n<mask>\ncat\ndog\ncat\n");
    CHECK_THROWS_WITH_AS(Vocab::load(p.string()), doctest::Contains("bad_vocab.txt:8: duplicate token 'cat'"),
                         IoError);
    write(p, "<pad>\n<eos>\n");
    CHECK_THROWS_WITH_AS(Vocab::load(p.string()),
                         doctest::Contains("bad_vocab.txt:2: expected the special token <bos>"), IoError);
    CHECK_THROWS_WITH_AS(Vocab::load("no/such/vocab.txt"), doctest::Contains("no/such/vocab.txt"), IoError);
}
