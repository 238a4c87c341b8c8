#include "core/huge_pages.hpp"

#include <sys/mman.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace clusternet {
namespace {

bool advice_wanted() {
  // Read once; getenv and strcmp allocate nothing, so this is safe inside operator new.
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the environment is not modified by this program
  const char* value = std::getenv("CLUSTERNET_HUGE_PAGES");
  return value == nullptr || std::strcmp(value, "0") != 0;
}

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
void* pointer(std::uintptr_t a) { return reinterpret_cast<void*>(a); }  // NOLINT(performance-no-int-to-ptr,cppcoreguidelines-pro-type-reinterpret-cast)

// `length` bytes (a multiple of huge_page_bytes) of fresh memory at a 2 MiB-aligned address: a
// mapping one huge page longer, with what lies outside the aligned part given back. nullptr when
// the kernel refuses.
void* map_aligned(std::size_t length) {
  const std::size_t over = length + huge_page_bytes;
  void* p = mmap(nullptr, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  const std::uintptr_t begin = address(p);
  const std::uintptr_t aligned = (begin + huge_page_bytes - 1) & ~std::uintptr_t(huge_page_bytes - 1);
  if (aligned > begin) munmap(p, aligned - begin);
  if (begin + over > aligned + length) munmap(pointer(aligned + length), begin + over - (aligned + length));
  return pointer(aligned);
}

}  // namespace

void advise_huge_pages(void* p, std::size_t size) noexcept {
  if (size < huge_page_advice_from) return;
  static const bool wanted = advice_wanted();
  if (!wanted) return;
  const std::uintptr_t first = (address(p) + huge_page_bytes - 1) & ~std::uintptr_t(huge_page_bytes - 1);
  const std::uintptr_t last = (address(p) + size) & ~std::uintptr_t(huge_page_bytes - 1);
  if (last <= first) return;
  // Advice: its failure leaves ordinary pages, which is what the program had without it.
  (void)madvise(pointer(first), last - first, MADV_HUGEPAGE);
}

std::size_t mapped_bytes(std::size_t bytes) {
  if (bytes > std::size_t(-1) - huge_page_bytes) throw std::bad_alloc();
  return (bytes + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
}

void* map_block(std::size_t bytes) {
  const std::size_t length = mapped_bytes(bytes);
  void* p = map_aligned(length);
  if (p == nullptr) throw std::bad_alloc();
  advise_huge_pages(p, length);
  return p;
}

void* remap_block(void* p, std::size_t old_bytes, std::size_t new_bytes) {
  const std::size_t old_length = mapped_bytes(old_bytes), new_length = mapped_bytes(new_bytes);
  if (new_length == old_length) return p;
  if (new_length < old_length) {
    // Should the kernel refuse (too many mappings to split one more), the tail stays mapped and
    // unused until the process ends: memory kept, never memory lost to the block.
    (void)munmap(pointer(address(p) + new_length), old_length - new_length);
    return p;
  }
  // In place when the addresses after the block are free (the extension keeps the advice of the
  // mapping it extends; advised again all the same).
  if (mremap(p, old_length, new_length, 0) != MAP_FAILED) {
    advise_huge_pages(p, new_length);
    return p;
  }
  // Else onto a fresh aligned range, which the move replaces: source and target both on 2 MiB
  // boundaries, the kernel moves whole huge pages.
  void* target = map_aligned(new_length);
  if (target == nullptr) throw std::bad_alloc();
  void* moved = mremap(p, old_length, new_length, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  if (moved == MAP_FAILED) {
    munmap(target, new_length);
    throw std::bad_alloc();
  }
  advise_huge_pages(moved, new_length);
  return moved;
}

void unmap_block(void* p, std::size_t bytes) noexcept {
  if (p != nullptr) munmap(p, mapped_bytes(bytes));
}

bool release_free_heap() noexcept {
#if defined(__GLIBC__)
  return malloc_trim(0) != 0;
#else
  return false;
#endif
}

}  // namespace clusternet
