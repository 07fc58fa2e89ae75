#include <dikkat/io/safetensors.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/atomic_file.hpp>

namespace dikkat::io {

namespace {

using Json = nlohmann::json;

bool host_is_little_endian() {
    const std::uint32_t one = 1;
    unsigned char first = 0;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

// Little-endian on every host: byte i of the integer is (v >> 8i) & 0xff.
void put_u64_le(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

std::uint64_t get_u64_le(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Floats as little-endian bytes: a plain copy on little-endian hosts, reversed otherwise.
void append_f32_le(std::string& out, const Array& a) {
    if (a.size() == 0) return;  // an empty array may have no buffer at all
    const std::size_t start = out.size();
    out.resize(start + a.size() * 4);
    std::memcpy(out.data() + start, a.data(), a.size() * 4);
    if (!host_is_little_endian())
        for (std::size_t i = start; i < out.size(); i += 4)
            std::reverse(out.begin() + static_cast<std::ptrdiff_t>(i),
                         out.begin() + static_cast<std::ptrdiff_t>(i + 4));
}

void f32_from_le(char* bytes, std::size_t count) {
    if (host_is_little_endian()) return;
    for (std::size_t i = 0; i < count; ++i) std::reverse(bytes + 4 * i, bytes + 4 * i + 4);
}

[[noreturn]] void bad(const std::string& path, const std::string& what) {
    throw IoError("safetensors file " + path + ": " + what);
}

std::string tensor_label(const std::string& name) { return "tensor '" + name + "'"; }

// Parses the JSON header and checks it against the size of the data section.
SafeTensorsHeader check_header(const std::string& path, const std::string& text, std::size_t data_start,
                               std::size_t data_size) {
    if (text.empty() || text[0] != '{')
        bad(path, "the header does not start with '{' (not a safetensors file?)");
    // Duplicate keys: JSON allows them and nlohmann keeps the last one silently; we refuse.
    std::vector<std::set<std::string>> seen;
    const auto watch = [&](int, Json::parse_event_t event, Json& parsed) {
        if (event == Json::parse_event_t::object_start) seen.emplace_back();
        if (event == Json::parse_event_t::object_end && !seen.empty()) seen.pop_back();
        if (event == Json::parse_event_t::key && !seen.empty()) {
            const std::string key = parsed.get<std::string>();
            if (!seen.back().insert(key).second)
                bad(path, "the name '" + key + "' appears twice in the header");
        }
        return true;
    };
    Json root;
    try {
        root = Json::parse(text, watch);
    } catch (const Json::exception& e) {
        std::string why = e.what();  // may quote the offending text: keep the message short
        if (why.size() > 300) why = why.substr(0, 300) + "...";
        bad(path, "the header is not valid JSON: " + why);
    }
    if (!root.is_object()) bad(path, "the header must be a JSON object");

    SafeTensorsHeader header;
    header.data_start = data_start;
    for (const auto& [name, entry] : root.items()) {
        if (name == "__metadata__") {
            if (!entry.is_object()) bad(path, "__metadata__ must be an object of strings");
            for (const auto& [key, value] : entry.items()) {
                if (!value.is_string()) bad(path, "__metadata__ value '" + key + "' is not a string");
                header.metadata[key] = value.get<std::string>();
            }
            continue;
        }
        const std::string who = tensor_label(name);
        if (name.empty()) bad(path, "a tensor has an empty name");
        if (!entry.is_object()) bad(path, who + ": its entry must be an object");
        if (!entry.contains("dtype") || !entry["dtype"].is_string())
            bad(path, who + ": missing or non-string dtype");
        const std::string dtype = entry["dtype"].get<std::string>();
        if (dtype != "F32")
            bad(path, who + " has dtype " + dtype + ", which Dikkat does not read (only F32, float32)");
        if (!entry.contains("shape") || !entry["shape"].is_array()) bad(path, who + ": missing shape");
        if (!entry.contains("data_offsets") || !entry["data_offsets"].is_array() ||
            entry["data_offsets"].size() != 2)
            bad(path, who + ": data_offsets must be [begin, end]");
        TensorInfo info;
        info.name = name;
        // Elements, with overflow detected: a hostile shape must not wrap around to a small number.
        std::size_t numel = 1;
        bool overflow = false;
        for (const auto& d : entry["shape"]) {
            if (!d.is_number_unsigned()) bad(path, who + ": shape entries must be non-negative integers");
            const std::uint64_t n = d.get<std::uint64_t>();
            if (n > std::numeric_limits<std::size_t>::max()) overflow = true;
            const std::size_t size = static_cast<std::size_t>(n);
            info.shape.push_back(size);
            if (size != 0 && numel > std::numeric_limits<std::size_t>::max() / 4 / size) overflow = true;
            numel *= size;
        }
        if (std::find(info.shape.begin(), info.shape.end(), std::size_t{0}) != info.shape.end()) {
            numel = 0;  // an empty tensor, however large its other sizes
            overflow = false;
        }
        const Json& off = entry["data_offsets"];
        if (!off[0].is_number_unsigned() || !off[1].is_number_unsigned())
            bad(path, who + ": data_offsets must be non-negative integers");
        const std::uint64_t begin = off[0].get<std::uint64_t>(), end = off[1].get<std::uint64_t>();
        if (begin > end)
            bad(path, who + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                          "] end before they begin");
        if (end > data_size)
            bad(path, who + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                          "] run past the end of the data section (" + std::to_string(data_size) + " bytes)");
        info.begin = static_cast<std::size_t>(begin);
        info.end = static_cast<std::size_t>(end);
        if (overflow || info.end - info.begin != numel * 4)
            bad(path, who + ": shape " + shape_str(info.shape) + " needs " +
                          (overflow ? std::string("more bytes than a computer can address")
                                    : std::to_string(numel * 4)) +
                          " bytes of F32, but data_offsets give " + std::to_string(info.end - info.begin));
        header.tensors.push_back(std::move(info));
    }

    // The tensors must tile the data section exactly: sorted by offset, each starting where the
    // previous one ended, the last ending at the end of the file.
    std::sort(header.tensors.begin(), header.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::size_t at = 0;
    const TensorInfo* previous = nullptr;
    for (const TensorInfo& t : header.tensors) {
        if (t.begin < at)
            bad(path, tensor_label(t.name) + " overlaps " + tensor_label(previous->name) + " (bytes " +
                          std::to_string(t.begin) + " to " + std::to_string(at) + ")");
        if (t.begin > at)
            bad(path, "bytes " + std::to_string(at) + " to " + std::to_string(t.begin) +
                          " of the data section belong to no tensor (a gap before " + tensor_label(t.name) +
                          ")");
        at = t.end;
        previous = &t;
    }
    if (at != data_size)
        bad(path,
            "the data section has " + std::to_string(data_size - at) +
                " bytes after the last tensor that belong to no tensor (truncated header or appended data)");
    return header;
}

// Opens the file, reads and checks the header. `in` is left open for reading the data.
SafeTensorsHeader open_and_check(const std::string& path, std::ifstream& in) {
    in.open(path, std::ios::binary);
    if (!in) throw IoError("safetensors file " + path + ": cannot open it for reading");
    in.seekg(0, std::ios::end);
    const std::streamoff end = in.tellg();
    if (end < 0) bad(path, "cannot determine its size");
    const std::size_t file_size = static_cast<std::size_t>(end);
    if (file_size < 8)
        bad(path, "the file is " + std::to_string(file_size) +
                      " bytes long, too short for the 8-byte header length (truncated?)");
    in.seekg(0);
    unsigned char len_bytes[8];
    in.read(reinterpret_cast<char*>(len_bytes), 8);
    if (!in) bad(path, "cannot read the header length");
    const std::uint64_t n = get_u64_le(len_bytes);
    if (n > max_header_bytes)
        bad(path, "the header claims " + std::to_string(n) + " bytes, more than the " +
                      std::to_string(max_header_bytes) + " Dikkat accepts (corrupt file?)");
    if (n > file_size - 8)
        bad(path, "the header claims " + std::to_string(n) + " bytes but only " +
                      std::to_string(file_size - 8) + " follow the length (truncated file?)");
    std::string text(static_cast<std::size_t>(n), '\0');
    in.read(text.data(), static_cast<std::streamsize>(n));
    if (!in) bad(path, "cannot read the header");
    const std::size_t data_start = 8 + static_cast<std::size_t>(n);
    return check_header(path, text, data_start, file_size - data_start);
}

}  // namespace

const Array* SafeTensors::find(const std::string& name) const {
    for (const auto& entry : tensors)
        if (entry.first == name) return &entry.second;
    return nullptr;
}

std::string safetensors_bytes(const NamedArrays& tensors, const Metadata& metadata) {
    // nlohmann::ordered_json keeps insertion order: __metadata__ first, then the tensors in
    // the order given, which is also the order of their bytes.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::set<std::string> names;
    std::size_t offset = 0;
    for (const auto& [name, a] : tensors) {
        if (name.empty()) throw ValueError("save_safetensors: a tensor has an empty name");
        if (name == "__metadata__")
            throw ValueError("save_safetensors: '__metadata__' is reserved, not a tensor name");
        if (!names.insert(name).second)
            throw ValueError("save_safetensors: the name '" + name + "' is used twice");
        const std::size_t bytes = a.size() * 4;
        header[name] = {{"dtype", "F32"},
                        {"shape", std::vector<std::size_t>(a.shape().begin(), a.shape().end())},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception& e) {  // e.g. a name that is not valid UTF-8
        throw ValueError(std::string("save_safetensors: cannot encode the header: ") + e.what());
    }
    text.append((8 - text.size() % 8) % 8, ' ');  // pad so the data starts 8-byte aligned

    std::string out;
    out.reserve(8 + text.size() + offset);
    put_u64_le(out, text.size());
    out += text;
    for (const auto& entry : tensors) append_f32_le(out, entry.second);
    return out;
}

void save_safetensors(const std::string& path, const NamedArrays& tensors, const Metadata& metadata) {
    write_file_atomic(path, safetensors_bytes(tensors, metadata));
}

SafeTensorsHeader read_safetensors_header(const std::string& path) {
    std::ifstream in;
    return open_and_check(path, in);
}

SafeTensors load_safetensors(const std::string& path) {
    std::ifstream in;
    SafeTensorsHeader header = open_and_check(path, in);
    SafeTensors result;
    result.metadata = std::move(header.metadata);
    for (const TensorInfo& t : header.tensors) {
        Array a(t.shape);  // (shape) — size already checked against the file
        if (a.size() == 0) {
            result.tensors.emplace_back(t.name, std::move(a));
            continue;
        }
        in.seekg(static_cast<std::streamoff>(header.data_start + t.begin));
        in.read(reinterpret_cast<char*>(a.data()), static_cast<std::streamsize>(t.end - t.begin));
        if (!in)
            bad(path, "cannot read the data of " + tensor_label(t.name) + " (file changed while reading?)");
        f32_from_le(reinterpret_cast<char*>(a.data()), a.size());
        result.tensors.emplace_back(t.name, std::move(a));
    }
    return result;
}

}  // namespace dikkat::io
