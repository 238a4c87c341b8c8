#pragma once
// One column of the tie store: numbers of a trivially copyable type in one block that grows and
// shrinks in place. At scale 250 a column holds about 140-160 million slots (1.1-1.3 GB for an
// 8-byte type). A std::vector grows by allocating the new block beside the old one and copying,
// so for a moment it holds both. A column of 4 MiB or more is a mapping of its own on 2 MiB
// boundaries (core/huge_pages.hpp: map_block), which grows by extending or moving its pages
// (mremap), without a copy and never beside a second block, and shrinks by giving its tail back;
// its huge pages stay whole when it moves. Smaller columns use malloc and realloc (glibc's realloc
// copies the data into fresh pages before anything could advise them, and loses huge pages).
// Entries a column grows by are unwritten, or zero where the block is fresh (the store writes every
// slot it adds, from parallel loops whose threads then first-touch the pages).
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include "core/huge_pages.hpp"

namespace clusternet {

template <typename T>
class TieColumn {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "a tie column holds plain numbers (it moves them with realloc and memcpy)");

 public:
  TieColumn() = default;
  TieColumn(const TieColumn& other) { *this = other; }
  TieColumn(TieColumn&& other) noexcept { swap(other); }
  TieColumn& operator=(const TieColumn& other) {
    if (this == &other) return *this;
    TieColumn copy;
    copy.resize(other.size_);
    if (other.size_ > 0) std::memcpy(copy.data_, other.data_, other.size_ * sizeof(T));
    swap(copy);
    return *this;
  }
  TieColumn& operator=(TieColumn&& other) noexcept {
    TieColumn taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~TieColumn() { release(); }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  // Room for `n` entries (capacity at least n).
  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }
  // `n` entries; those beyond the old size are unwritten. Grows the capacity to exactly n when it
  // must (callers that append reserve ahead).
  void resize(std::size_t n) {
    reserve(n);
    size_ = n;
  }
  // Sets the capacity to max(n, size()) when that is less than it is now.
  void shrink_capacity(std::size_t n) {
    if (n < size_) n = size_;
    if (n < capacity_) reallocate(n);
  }
  void swap(TieColumn& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    std::swap(mapped_, other.mapped_);
  }

 private:
  void release() noexcept {
    if (mapped_) unmap_block(data_, capacity_ * sizeof(T));
    else std::free(data_);  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
    data_ = nullptr;
    capacity_ = 0;
    mapped_ = false;
  }
  void reallocate(std::size_t n) {
    if (n == 0) {
      release();
      return;
    }
    if (n > std::size_t(-1) / sizeof(T) / 2) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (mapped_) {
      data_ = static_cast<T*>(remap_block(data_, capacity_ * sizeof(T), bytes));
      capacity_ = mapped_bytes(bytes) / sizeof(T);
    } else if (bytes >= huge_page_advice_from) {
      T* block = static_cast<T*>(map_block(bytes));
      if (size_ > 0) std::memcpy(block, data_, size_ * sizeof(T));
      std::free(data_);  // NOLINT(cppcoreguidelines-no-malloc,hicpp-no-malloc)
      data_ = block;
      mapped_ = true;
      capacity_ = mapped_bytes(bytes) / sizeof(T);
    } else {
      // NOLINTNEXTLINE(cppcoreguidelines-no-malloc,hicpp-no-malloc,bugprone-suspicious-realloc-usage)
      void* moved = std::realloc(data_, bytes);
      if (moved == nullptr) throw std::bad_alloc();  // the old block is still held, and still ours
      data_ = static_cast<T*>(moved);
      capacity_ = n;
    }
  }

  T* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
  bool mapped_ = false;  // data_ is a map_block block of capacity_ * sizeof(T) bytes
};

}  // namespace clusternet
