#include <zstd.h>

#include <vector>

#include "arxivc/core/error.hpp"
#include "arxivc/core/trace.hpp"
#include "byte_source.hpp"

namespace arxivc::ingest {
namespace {

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(SourceFile& file)
      : file_(file), context_(ZSTD_createDCtx()), input_buffer_(ZSTD_DStreamInSize()) {
    if (context_ == nullptr) throw Error("cannot create a zstd decompression context");
  }
  ~ZstdSource() override { ZSTD_freeDCtx(context_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    TraceSpan span("decompress", "ingest");
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos < output.size) {
      if (input_.pos == input_.size && !file_ended_) {
        const std::size_t got = file_.read(input_buffer_.data(), input_buffer_.size());
        file_ended_ = got == 0;
        input_ = ZSTD_inBuffer{input_buffer_.data(), got, 0};
      }
      const bool input_exhausted = file_ended_ && input_.pos == input_.size;
      if (input_exhausted && !frame_open_) break;
      // With the input exhausted, a call can still flush output the decoder holds back.
      const std::size_t output_before = output.pos;
      const std::size_t status = ZSTD_decompressStream(context_, &output, &input_);
      if (ZSTD_isError(status)) {
        throw InputError(file_.path(), std::string("corrupt zstd data: ") + ZSTD_getErrorName(status));
      }
      // Non-zero means the current frame is not finished (more input needed or output pending).
      frame_open_ = status != 0;
      if (input_exhausted && frame_open_ && output.pos == output_before) {
        throw InputError(file_.path(), "truncated zstd stream: the file ends in the middle of a frame");
      }
    }
    return output.pos;
  }

 private:
  SourceFile& file_;
  ZSTD_DCtx* context_;
  std::vector<char> input_buffer_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool file_ended_ = false;
  bool frame_open_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> make_zstd_source(SourceFile& file) { return std::make_unique<ZstdSource>(file); }

}  // namespace arxivc::ingest
