#include "byte_source.hpp"

namespace arxivc::ingest {
namespace {

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(SourceFile& file) : file_(file) {}

  std::size_t read(char* out, std::size_t capacity) override { return file_.read(out, capacity); }

 private:
  SourceFile& file_;
};

}  // namespace

std::unique_ptr<ByteSource> make_plain_source(SourceFile& file) {
  return std::make_unique<PlainSource>(file);
}

}  // namespace arxivc::ingest
