#pragma once
// A std::vector whose new elements of trivial types are left uninitialised (default- rather than
// value-initialised) by its sizing constructor and resize(). For arrays that a parallel pass then
// fills slot by slot: a std::vector zero-fills them first, on one thread, and that serial memset
// (with the page faults of fresh memory) was the longest stretch of a measured month without a
// cancellation check (at scale 50, 0.8 s for the weighted layout's 443 MB of weights; several
// seconds at scale 250). Everything else is std::vector's: the global operator new, so the huge
// page advice of sim/app/huge_pages.cpp applies. Only for arrays whose every element is written
// before it is read.
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace clusternet {

template <typename T, typename Base = std::allocator<T>>
class DefaultInitAllocator : public Base {
  using Traits = std::allocator_traits<Base>;

 public:
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U, typename Traits::template rebind_alloc<U>>;
  };
  using Base::Base;
  DefaultInitAllocator() = default;
  template <typename U, typename B>
  DefaultInitAllocator(const DefaultInitAllocator<U, B>& other) noexcept : Base(other) {}

  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    Traits::construct(static_cast<Base&>(*this), p, std::forward<Args>(args)...);
  }
};

template <typename T>
using UninitVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace clusternet
