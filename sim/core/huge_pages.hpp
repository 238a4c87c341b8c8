#pragma once
// Transparent huge pages for large arrays (see sim/app/huge_pages.cpp for why and what it
// measured), and large blocks that grow and shrink in place of a copy. Shared by the program's
// operator new and by the tie store's columns (behaviour/tie_column.hpp), so that both ask the
// kernel the same way.
#include <cstddef>

namespace clusternet {

// Blocks of at least this many bytes are advised, and TieColumn maps them itself.
inline constexpr std::size_t huge_page_advice_from = std::size_t(4) << 20;
inline constexpr std::size_t huge_page_bytes = std::size_t(2) << 20;

// Advises the kernel to back the 2 MiB-aligned part of [p, p + size) with huge pages when `size`
// is at least huge_page_advice_from, unless CLUSTERNET_HUGE_PAGES=0 is set. Advice only: where
// the kernel has no huge pages the memory is ordinary memory. Allocates nothing (safe inside
// operator new).
void advise_huge_pages(void* p, std::size_t size) noexcept;

// A block of private anonymous memory that starts on a 2 MiB boundary and spans whole 2 MiB
// pages (mapped_bytes(bytes) of them), advised as above before anything touches it; its pages are
// zero and cost nothing until written. Throws std::bad_alloc when the kernel refuses.
std::size_t mapped_bytes(std::size_t bytes);
void* map_block(std::size_t bytes);
// The block at p (of old_bytes, as asked of map_block or of an earlier remap_block) with room for
// new_bytes: shrinking gives the tail back; growing extends it where the addresses after it are
// free, else moves its pages to a new 2 MiB-aligned place (the page tables move, not the data, so
// huge pages stay whole). Either way the contents up to the smaller size are kept and the old and
// the new block are never both held. Returns where the block is now; throws std::bad_alloc, with
// the block unchanged, when the kernel refuses.
void* remap_block(void* p, std::size_t old_bytes, std::size_t new_bytes);
void unmap_block(void* p, std::size_t bytes) noexcept;

// Gives the free pages inside malloc's heaps back to the kernel (glibc's malloc_trim; nothing
// elsewhere). A month's transient arrays are freed into those heaps, which keep them resident for
// the next month; the engine calls this before the expensive months' layout, the largest
// allocation of a run, so that it does not come on top of them (about 4% of the peak RSS at scale
// 10). Returns whether anything was given back.
bool release_free_heap() noexcept;

}  // namespace clusternet
