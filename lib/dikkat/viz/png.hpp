// Pictures inside SVG figures: an RGB image as a PNG file, and the PNG as a data URI an SVG
// `<image>` can hold, so one self-contained .svg shows real pixels (a dataset's examples, a feature
// map) in a few kilobytes where a rectangle per pixel would take hundreds.
//
// The PNG is uncompressed — zlib's "stored" blocks, no deflate — which needs only a CRC-32 and
// an Adler-32: a few dozen lines instead of a compression library, and 3 bytes per pixel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace dikkat::viz {

/// A PNG file (8-bit RGB, no compression) of `height` rows of `width` pixels, `rgb` holding three
/// bytes per pixel and `stride` bytes from one row to the next. Throws ValueError for an empty
/// image or a stride smaller than a row.
std::string png_rgb(const std::uint8_t* rgb, std::size_t width, std::size_t height, std::size_t stride);

/// Base64 (RFC 4648, with '=' padding).
std::string base64(const std::string& bytes);

/// "data:image/png;base64,…" of png_rgb(...), for the href of an SVG `<image>`.
std::string png_data_uri(const std::uint8_t* rgb, std::size_t width, std::size_t height, std::size_t stride);

}  // namespace dikkat::viz
