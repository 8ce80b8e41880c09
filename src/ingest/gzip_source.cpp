#include <zlib.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "byte_source.hpp"

namespace arxivc::ingest {
namespace {

// zlib's window bits for a gzip wrapper (15 = largest window, +16 = expect a gzip header).
constexpr int kGzipWindowBits = 15 + 16;

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(SourceFile& file) : file_(file), input_buffer_(1 << 17) {
    if (inflateInit2(&stream_, kGzipWindowBits) != Z_OK) throw Error("cannot initialise zlib");
  }
  ~GzipSource() override { inflateEnd(&stream_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    TraceSpan span("decompress", "ingest");
    std::size_t produced = 0;
    while (produced < capacity) {
      if (stream_.avail_in == 0 && !file_ended_) {
        const std::size_t got = file_.read(input_buffer_.data(), input_buffer_.size());
        file_ended_ = got == 0;
        stream_.next_in = reinterpret_cast<Bytef*>(input_buffer_.data());
        stream_.avail_in = static_cast<uInt>(got);
      }
      const bool input_exhausted = file_ended_ && stream_.avail_in == 0;
      if (!member_open_) {
        if (input_exhausted) break;
        // More data after a complete member: it must be another member (as written by `cat a.gz b.gz`).
        inflateReset(&stream_);
        member_open_ = true;
      }
      stream_.next_out = reinterpret_cast<Bytef*>(out + produced);
      stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity - produced, UINT_MAX));
      const uInt space_before = stream_.avail_out;
      const int status = inflate(&stream_, Z_NO_FLUSH);
      produced += space_before - stream_.avail_out;
      if (status == Z_STREAM_END) {
        member_open_ = false;
        ++members_read_;
      } else if (status == Z_BUF_ERROR ||
                 (status == Z_OK && input_exhausted && stream_.avail_out == space_before)) {
        // zlib can make no progress: it needs input the file does not have.
        throw InputError(file_.path(),
                         "truncated gzip stream: the file ends in the middle of the compressed data");
      } else if (status != Z_OK) {
        if (members_read_ > 0 && stream_.total_out == 0) {
          throw InputError(file_.path(),
                           "corrupt gzip file: unexpected data after the end of the gzip stream");
        }
        throw InputError(file_.path(), std::string("corrupt gzip data: ") +
                                           (stream_.msg != nullptr ? stream_.msg : "inflate failed"));
      }
    }
    return produced;
  }

 private:
  SourceFile& file_;
  std::vector<char> input_buffer_;
  z_stream stream_{};
  bool file_ended_ = false;
  bool member_open_ = true;
  int members_read_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> make_gzip_source(SourceFile& file) { return std::make_unique<GzipSource>(file); }

}  // namespace arxivc::ingest
