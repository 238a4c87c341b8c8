// Transparent huge pages for the program's large arrays.
//
// The graph kernels, the tie store and the pair index read their large arrays at random, and from
// about a million organisations on (scale 10) most of those reads miss the TLB as well as the
// cache: with 4 KiB pages a 100 MB array spans 25,000 pages. Debian's kernels hand out 2 MiB pages
// only to memory that asked for them (transparent_hugepage=madvise), and glibc asks only when told
// to by an environment variable (GLIBC_TUNABLES=glibc.malloc.hugetlb=1). So the program's global
// operator new asks itself: every allocation of 4 MiB or more gets madvise(MADV_HUGEPAGE) on the
// 2 MiB-aligned part inside it before anything touches it. Measured on jci-150m at scale 10 (two
// threads, two interleaved rounds): wall 98.6 -> 86.8 s, CPU 178.9 -> 165.4 s, peak RSS unchanged
// (docs/performance.md). Results do not depend on where memory lies: they stay bit-identical.
//
// The advice is only advice: where the kernel has no huge pages (transparent_hugepage=never, or
// none free) the call changes nothing or fails, and either way the memory is ordinary memory.
// CLUSTERNET_HUGE_PAGES=0 in the environment turns the advice off (to measure what it brings).
// Allocation itself is malloc's, and delete is free, as in the standard library's own operators.
// Sanitizer builds keep the sanitizer's operators (they check new/delete pairing).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLUSTERNET_KEEP_DEFAULT_NEW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CLUSTERNET_KEEP_DEFAULT_NEW 1
#endif
#endif

#ifndef CLUSTERNET_KEEP_DEFAULT_NEW
#include <cstddef>
#include <cstdlib>
#include <new>

#include "core/huge_pages.hpp"

namespace {

void* allocate(std::size_t size) {
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = std::malloc(size)) {  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
      clusternet::advise_huge_pages(p, size);
      return p;
    }
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
void operator delete[](void* p) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
void operator delete(void* p, std::size_t) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
#endif
