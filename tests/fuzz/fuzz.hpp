// What every fuzz target shares: the input as a string, a scratch folder for readers that only
// take a path, and the one rule of every target — an input may be accepted, or refused with a
// dikkat::Error; anything else (another exception, a crash, a sanitizer report, a hang, a huge
// allocation) is a bug that libFuzzer reports and saves.
//
//     extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//         const std::string text = fuzz::bytes(data, size);
//         fuzz::refused_or_accepted([&] { dikkat::data::read_tsv(fuzz::scratch_file("in.tsv", text), 3); });
//         return 0;
//     }
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <dikkat/error.hpp>

namespace fuzz {

inline std::string bytes(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// A folder of this process's own under $TMPDIR (or /tmp), removed when the process ends normally
/// (tests/fuzz/run points TMPDIR into its own scratch folder, which it removes after a crash too).
inline const std::string& scratch_dir() {
    static const std::string* dir = [] {  // never destroyed: the handler below reads it at exit
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/dikkat-fuzz-XXXXXX";
        if (!mkdtemp(pattern.data())) {
            std::perror("fuzz: mkdtemp");
            std::abort();
        }
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(scratch_dir(), ignored);
        });
        return new std::string(pattern);
    }();
    return *dir;
}

/// Writes `contents` to `name` in the scratch folder (replacing what was there) and returns its path.
inline std::string scratch_file(const std::string& name, const std::string& contents) {
    const std::string path = scratch_dir() + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.close();
    if (!out) {
        std::perror(("fuzz: cannot write " + path).c_str());
        std::abort();
    }
    return path;
}

/// The input cut at every `separator` (n separators give n + 1 parts, empty ones included).
inline std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts(1);
    for (char c : text)
        if (c == separator)
            parts.emplace_back();
        else
            parts.back() += c;
    return parts;
}

/// DIKKAT_FUZZ_VERBOSE=1, for replaying one input by hand: the lessons' output stays on stdout and
/// every refusal is printed.
inline bool verbose() {
    static const bool on = std::getenv("DIKKAT_FUZZ_VERBOSE") != nullptr;
    return on;
}

/// The lessons' answers are printed: send stdout to /dev/null (libFuzzer reports on stderr).
inline void silence_stdout() {
    if (verbose()) return;
    std::fflush(stdout);
    if (!std::freopen("/dev/null", "w", stdout)) std::perror("fuzz: cannot silence stdout");
}

/// Runs `f`. A dikkat::Error is an acceptable answer to a bad input; any other exception escapes
/// and ends the run, and libFuzzer saves the input that caused it.
template <class F>
void refused_or_accepted(F&& f) {
    try {
        f();
    } catch (const dikkat::Error& e) {
        if (verbose()) std::fprintf(stderr, "refused: %s\n", e.what());
    }
}

/// A property the code promises, checked: when it does not hold, say which and abort (a crash
/// libFuzzer reports and saves).
inline void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
    std::abort();
}

}  // namespace fuzz
