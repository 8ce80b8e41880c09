#pragma once

// A std::allocator for large arrays read at random places (embedding tables of hundreds of megabytes).
// With 4 KiB pages nearly every row read misses the TLB and waits for a page walk; this allocator
// aligns large blocks to 2 MiB and asks Linux for transparent huge pages there (madvise), which the
// kernel grants when its policy is "always" or "madvise". Small blocks are ordinary allocations aligned
// to a cache line (so rows of a matrix padded to whole cache lines start on one).

#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace arxivc {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::align_val_t kSmallAlignment{alignof(T) > 64 ? alignof(T) : 64};

  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes, kSmallAlignment));
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* block = ::operator new (rounded, std::align_val_t{kHugePage});
    // Only advice: where the kernel declines, the block works the same with small pages.
    madvise(block, rounded, MADV_HUGEPAGE);
    return static_cast<T*>(block);
  }
  void deallocate(T* p, std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    ::operator delete (p, bytes < kHugePage ? kSmallAlignment : std::align_val_t{kHugePage});
  }
  bool operator==(const HugePageAllocator& /*other*/) const { return true; }
};

}  // namespace arxivc
