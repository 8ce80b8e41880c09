#include "arxivc/core/binary_io.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <span>

#include "arxivc/core/error.hpp"

namespace arxivc {
namespace {

TEST(BinaryIo, ArraysRoundTrip) {
  BinaryWriter out;
  const std::array<float, 3> values{1.5F, -2.0F, 0.25F};
  out.put_array(std::span<const float>(values));
  out.put_string("end");
  BinaryReader in(out.bytes(), "test bytes");
  EXPECT_EQ(in.get_array<float>(), std::vector<float>(values.begin(), values.end()));
  EXPECT_EQ(in.get_string(), "end");
  EXPECT_TRUE(in.at_end());
}

// Found by fuzz_model_loader: reading an empty array passed a null pointer to memcpy (undefined
// behaviour, reported by UBSan in `make asan`).
TEST(BinaryIo, EmptyArrayIsReadWithoutCopying) {
  BinaryWriter out;
  out.put_array(std::span<const std::uint32_t>());
  BinaryReader in(out.bytes(), "test bytes");
  EXPECT_TRUE(in.get_array<std::uint32_t>().empty());
  EXPECT_TRUE(in.at_end());
}

TEST(BinaryIo, ArrayLongerThanTheDataIsAnError) {
  BinaryWriter out;
  out.put<std::uint64_t>(1000);
  out.put<float>(1.0F);
  BinaryReader in(out.bytes(), "test bytes");
  EXPECT_THROW(in.get_array<float>(), Error);
}

}  // namespace
}  // namespace arxivc
