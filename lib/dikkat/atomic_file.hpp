// Writing a file so that a crash never leaves half of it behind.
//
// The bytes go to a temporary file in the same directory, are flushed to the disk (fsync),
// and the temporary file is then renamed over the target. rename() within one file system is
// atomic: a reader — or the next run after a crash — sees either the old file or the new one,
// never a mixture. (Same directory matters: a rename across file systems is a copy.)
#pragma once

#include <string>
#include <string_view>

namespace dikkat {

/// Replaces `path` with `bytes` atomically. Throws IoError naming the path on any failure
/// (the old file, if there was one, is then left as it was).
void write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace dikkat
