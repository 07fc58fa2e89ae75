// Layer 9 — the safetensors file format, the checkpoint format of the Hugging Face ecosystem.
// numpy (a dozen lines), PyTorch (`safetensors.torch.load_file`) and Dikkat all read it.
//
//     bytes 0..7     N, the header's length: an unsigned 64-bit little-endian integer
//     bytes 8..8+N   the header: JSON, UTF-8, padded with spaces so that 8 + N is a multiple of 8
//     the rest       the data section: every tensor's bytes, back to back, no gaps
//
// The header maps each tensor's name to where it lives, plus free-form string metadata:
//
//     {"__metadata__": {"lesson": "05"},
//      "fc.weight": {"dtype": "F32", "shape": [3, 2], "data_offsets": [0, 24]},
//      "fc.bias":   {"dtype": "F32", "shape": [2],    "data_offsets": [24, 32]}}
//
// data_offsets are [begin, end) in bytes, counted from the first byte after the header.
// Values are row-major (C order), float32 little-endian ("F32"): Dikkat writes and reads only
// F32. Why this format and not a pickle: loading it runs no code, and a reader can check every
// offset before it touches the data — which is what load_safetensors does.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <dikkat/tensor.hpp>

namespace dikkat::io {

using NamedArrays = std::vector<std::pair<std::string, Array>>;
using Metadata = std::map<std::string, std::string>;

/// The contents of a safetensors file: tensors in file order (by data offset), and metadata.
struct SafeTensors {
    NamedArrays tensors;
    Metadata metadata;
    /// The tensor called `name`, or nullptr.
    const Array* find(const std::string& name) const;
};

/// Largest header Dikkat will read. A real header is a few kB; a file claiming gigabytes is
/// corrupt or hostile, and must not make the reader allocate that much.
constexpr std::size_t max_header_bytes = 100u << 20;  // 100 MB

/// Writes `tensors` (in this order) and `metadata` to `path` atomically (temp file + rename).
/// Throws ValueError for an empty or duplicate name or the reserved name "__metadata__",
/// IoError if the file cannot be written.
void save_safetensors(const std::string& path, const NamedArrays& tensors, const Metadata& metadata = {});

/// The same file as bytes (what save_safetensors writes).
std::string safetensors_bytes(const NamedArrays& tensors, const Metadata& metadata = {});

/// Where one tensor lives in a file, as its header says.
struct TensorInfo {
    std::string name;
    Shape shape;
    std::size_t begin = 0, end = 0;  ///< byte range, relative to the start of the data section
};

/// A checked header: tensors sorted by offset, metadata, and where the data section starts.
struct SafeTensorsHeader {
    std::vector<TensorInfo> tensors;
    Metadata metadata;
    std::size_t data_start = 0;  ///< 8 + N
};

/// Reads and checks a safetensors file. Every problem — a file shorter than 8 bytes, a header
/// length past the end of the file or above max_header_bytes, invalid JSON, a dtype other than
/// F32, a shape that does not match its byte range, offsets out of range, overlapping or
/// leaving gaps, duplicate names, non-string metadata — is an IoError naming the file and,
/// where there is one, the tensor. Nothing is allocated for tensor data before the whole
/// header has been checked.
SafeTensors load_safetensors(const std::string& path);

/// Reads and checks only the header: names, shapes and metadata (e.g. a model's config, to
/// build the model before loading its weights). Same checks as load_safetensors.
SafeTensorsHeader read_safetensors_header(const std::string& path);

}  // namespace dikkat::io
