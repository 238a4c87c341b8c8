#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <bit>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "behaviour/tie_store.hpp"
#include "core/huge_pages.hpp"
#include "core/parallel.hpp"

using namespace clusternet;

TEST_CASE("forming an existing tie renews it instead of duplicating it") {
  TieStore ties;
  CHECK(ties.form(3, 1, 1.0, 0.5, 0, TieOrigin::autonomous, -1));
  CHECK_FALSE(ties.form(1, 3, 1.0, 0.5, 2, TieOrigin::partnership, 0));
  CHECK(ties.alive() == 1);
  CHECK(ties.a(0) == 1);
  CHECK(ties.b(0) == 3);
  CHECK(ties.weight(0) == 1.5);
  CHECK(ties.renewals(0) == 1);
  CHECK(ties.held_until(0) == 2);  // a renewal holds the tie through its month
  CHECK(ties.origin(0) == TieOrigin::autonomous);  // how it first formed
  CHECK_THROWS(ties.form(2, 2, 1.0, 0.5, 0, TieOrigin::autonomous, -1));
  // Instruments are kept in 16 bits: the largest index is stored as given, one beyond is refused
  // before anything changes.
  const auto last = std::int32_t(max_instruments) - 1;
  CHECK(ties.form(4, 5, 1.0, 0.5, 0, TieOrigin::partnership, last));
  CHECK(ties.instrument(1) == last);
  CHECK_THROWS_AS(ties.form(6, 7, 1.0, 0.5, 0, TieOrigin::partnership, last + 1), std::logic_error);
  CHECK_THROWS_AS(ties.form(6, 7, 1.0, 0.5, 0, TieOrigin::partnership, -2), std::logic_error);
  CHECK(ties.alive() == 2);
  CHECK(ties.find(6, 7) == none<TieIndex>);
}

TEST_CASE("decay dissolves an unrenewed tie after the computed number of months") {
  const double w0 = 1.0, rate = 0.1, threshold = 0.25;
  // w0 (1 - rate)^n < threshold  <=>  n > log(threshold / w0) / log(1 - rate) = 13.16: n = 14.
  const int expected = static_cast<int>(std::floor(std::log(threshold / w0) / std::log(1.0 - rate))) + 1;
  REQUIRE(expected == 14);
  TieStore ties;
  ties.form(0, 1, w0, 1.0, 0, TieOrigin::autonomous, -1);
  ties.form(2, 3, w0, 1.0, 0, TieOrigin::autonomous, -1);
  int dissolved_at = -1;
  for (Month month = 1; month <= 30 && dissolved_at < 0; ++month) {
    if (month == 10) ties.form(2, 3, w0, 1.0, month, TieOrigin::autonomous, -1);  // renewed: stays
    ties.decay(rate, threshold, month);
    if (!ties.contains(0, 1)) dissolved_at = month;
  }
  CHECK(dissolved_at == expected);
  CHECK(ties.contains(2, 3));
}

TEST_CASE("compaction keeps the surviving ties in their order") {
  TieStore ties;
  for (OrgIndex i = 0; i < 2000; ++i) ties.form(i, i + 1, i % 4 == 1 ? 1.0 : 0.1, 1.0, 0, TieOrigin::autonomous, -1);
  ties.decay(0.0, 0.5, 1);  // three quarters dissolve and the store compacts
  CHECK(ties.alive() == 500);
  REQUIRE(ties.slots() == 500);
  for (std::size_t t = 0; t < ties.slots(); ++t) CHECK(ties.a(t) == 4 * t + 1);
  CHECK(ties.contains(5, 6));
  CHECK_FALSE(ties.contains(0, 1));
}

TEST_CASE("compaction in parallel chunks keeps every column of the survivors, in order, on any thread count") {
  // 100,000 ties: several chunks of the parallel compaction; every column varies.
  struct Tie {
    OrgIndex a, b;
    double weight;
    Month formed, held_until;
    std::uint16_t renewals;
    TieOrigin origin;
    std::int32_t instrument;
  };
  auto build = [] {
    TieStore ties;
    for (OrgIndex i = 0; i < 100'000; ++i) {
      const double weight = (i * 2654435761u) % 7 == 0 ? 0.1 : 1.0 + 0.001 * double(i % 1000);
      ties.form(i, i + 1 + i % 5, weight, 0.5, Month(i % 40), static_cast<TieOrigin>(i % 3), std::int32_t(i % 6) - 1,
                Month(i % 40 + i % 3));
      if (i % 11 == 0) ties.form(i, i + 1 + i % 5, 1.0, 0.5, 41, TieOrigin::autonomous, -1);  // a renewal
    }
    return ties;
  };
  TieStore reference = build();
  std::vector<Tie> expected;
  for (std::size_t t = 0; t < reference.slots(); ++t)
    if (reference.weight(t) >= 0.5)
      expected.push_back({reference.a(t), reference.b(t), reference.weight(t), reference.formed(t),
                          reference.held_until(t), reference.renewals(t),
                          reference.origin(t), reference.instrument(t)});
  REQUIRE(expected.size() < reference.slots() * 7 / 8);  // enough dissolve for decay to compact
  for (std::size_t threads : {1, 2, 5}) {
    ThreadLimit limit(threads);
    TieStore ties = build();
    ties.decay(0.0, 0.5, 100);
    REQUIRE(ties.slots() == expected.size());
    REQUIRE(ties.alive() == expected.size());
    for (std::size_t t = 0; t < ties.slots(); ++t) {
      const Tie& e = expected[t];
      REQUIRE(ties.a(t) == e.a);
      REQUIRE(ties.b(t) == e.b);
      REQUIRE(ties.weight(t) == e.weight);
      REQUIRE(ties.formed(t) == e.formed);
      REQUIRE(ties.held_until(t) == e.held_until);
      REQUIRE(ties.renewals(t) == e.renewals);
      REQUIRE(ties.origin(t) == e.origin);
      REQUIRE(ties.instrument(t) == e.instrument);
      REQUIRE(ties.is_alive(t));
      REQUIRE(ties.find(e.a, e.b) == t);
    }
  }
}

TEST_CASE("compaction in place moves each chunk's survivors past whole dead and whole alive chunks") {
  // Chunks of the compaction are 16,384 slots: the first dies whole, the second lives whole (its
  // run moves down by a chunk), the third loses every other tie, the rest live. Survivors keep
  // their order and columns on any thread count, and the spare room goes back.
  constexpr OrgIndex n = 5 * 16'384 + 1'000;
  auto dies = [](OrgIndex i) { return i < 16'384 || (i >= 2 * 16'384 && i < 3 * 16'384 && i % 2 == 0); };
  for (std::size_t threads : {1, 2, 3}) {
    ThreadLimit limit(threads);
    TieStore ties;
    for (OrgIndex i = 0; i < n; ++i)
      ties.form(i, n + i, dies(i) ? 0.1 : 1.0 + double(i), 0.5, Month(i % 30), TieOrigin::autonomous, std::int32_t(i % 4) - 1);
    const std::size_t bytes_before = ties.bytes();
    ties.decay(0.0, 0.5, 100);
    std::vector<OrgIndex> expected;
    for (OrgIndex i = 0; i < n; ++i)
      if (!dies(i)) expected.push_back(i);
    REQUIRE(ties.slots() == expected.size());
    for (std::size_t t = 0; t < expected.size(); ++t) {
      const OrgIndex i = expected[t];
      REQUIRE(ties.a(t) == i);
      REQUIRE(ties.b(t) == n + i);
      REQUIRE(ties.weight(t) == 1.0 + double(i));
      REQUIRE(ties.formed(t) == Month(i % 30));
      REQUIRE(ties.instrument(t) == std::int32_t(i % 4) - 1);
      REQUIRE(ties.is_alive(t));
      REQUIRE(ties.find(i, n + i) == t);
    }
    CHECK_FALSE(ties.contains(0, n));
    CHECK(ties.bytes() < bytes_before);
  }
}

TEST_CASE("a tie column keeps its numbers when it grows, shrinks, is copied and is moved") {
  TieColumn<std::uint64_t> column;
  CHECK(column.empty());
  column.resize(1'000);
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = i * 7;
  column.reserve(3'000'000);  // 24 MB: a mapping of its own, on a 2 MiB boundary, whole 2 MiB pages
  CHECK(column.capacity() >= 3'000'000);
  CHECK(column.capacity() * sizeof(std::uint64_t) % huge_page_bytes == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(column.data()) % huge_page_bytes == 0);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  column.resize(3'000'000);
  for (std::size_t i = 1'000; i < column.size(); ++i) column[i] = i * 7;
  for (std::size_t grown = 3'100'000; grown <= 12'000'000; grown += 1'000'000) {
    column.resize(grown);  // grown in place or moved by its pages, still aligned, contents kept
    CHECK(reinterpret_cast<std::uintptr_t>(column.data()) % huge_page_bytes == 0);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    REQUIRE(column[2'999'999] == 2'999'999 * 7);
  }
  column.resize(2'000'000);
  column.shrink_capacity(10);  // never below the size; whole 2 MiB pages
  CHECK(column.capacity() >= 2'000'000);
  CHECK(column.capacity() < 2'000'000 + huge_page_bytes / sizeof(std::uint64_t));
  TieColumn<std::uint64_t> copy(column);
  TieColumn<std::uint64_t> moved(std::move(column));
  CHECK(column.empty());  // NOLINT(bugprone-use-after-move): a moved-from column is empty
  REQUIRE(copy.size() == 2'000'000);
  REQUIRE(moved.size() == 2'000'000);
  for (std::size_t i = 0; i < moved.size(); i += 997) {
    REQUIRE(moved[i] == i * 7);
    REQUIRE(copy[i] == i * 7);
  }
  copy = moved;
  copy.resize(0);
  copy.shrink_capacity(0);
  CHECK(copy.capacity() == 0);
  CHECK(copy.data() == nullptr);
}

namespace {
// A pair column for index tests: value v stands for the key keys[v].
struct TestColumns {
  std::vector<std::uint64_t> keys;
  std::uint32_t add(std::uint64_t key) {
    keys.push_back(key);
    return static_cast<std::uint32_t>(keys.size() - 1);
  }
  PairColumns view() const { return {keys.data()}; }
};
}  // namespace

TEST_CASE("PairIndex agrees with std::map under random inserts and erases, across growth") {
  PairIndex index;
  TestColumns columns;
  std::map<std::uint64_t, std::uint32_t> reference;
  std::uint64_t x = 5;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 33; };
  for (std::uint32_t step = 0; step < 200000; ++step) {
    const std::uint64_t a = next() % 3000, b = a + 1 + next() % 3000;
    const std::uint64_t key = (a << 32) | b;
    if (next() % 3 == 0) {
      index.erase(key, columns.view());
      reference.erase(key);
    } else {
      const std::uint32_t value = columns.add(key);  // written before the index may read it back
      const auto [stored, inserted] = index.try_emplace(key, value, columns.view());
      const auto [it, ref_inserted] = reference.try_emplace(key, value);
      REQUIRE(inserted == ref_inserted);
      REQUIRE(stored == it->second);
    }
    REQUIRE(index.size() == reference.size());
    if (step % 1000 == 0)
      for (std::uint64_t probe = 0; probe < 50; ++probe) {
        const std::uint64_t pa = next() % 3000, pb = pa + 1 + next() % 3000;
        REQUIRE(index.contains((pa << 32) | pb, columns.view()) == (reference.count((pa << 32) | pb) == 1));
      }
  }
  for (const auto& [key, value] : reference) {
    REQUIRE(index.find(key, columns.view()) == value);
    REQUIRE(index.try_emplace(key, 0, columns.view()).first == value);
  }
  // At most 3/4 full, and the capacity is a power of two.
  CHECK(4 * index.size() <= 3 * index.capacity());
  CHECK(std::has_single_bit(index.capacity()));
}

TEST_CASE("PairIndex beyond 4 MiB grows by a quarter, to sizes that are no power of two") {
  // A million keys: the table passes 4 MiB (524,288 entries) and from there grows by a quarter of
  // its size, rounded up to whole 2 MiB mappings, so probe sequences wrap at odd sizes.
  PairIndex index;
  TestColumns columns;
  constexpr std::uint32_t count = 1000000;
  auto key_of = [](std::uint64_t i) { return ((i * 7919) % 4000037) << 32 | (4000037 + i); };
  bool odd_size_seen = false;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint64_t key = key_of(i);
    REQUIRE(index.try_emplace(key, columns.add(key), columns.view()).second);
    odd_size_seen = odd_size_seen || !std::has_single_bit(index.capacity());
  }
  CHECK(odd_size_seen);
  // Erase every third key, then every key is found or not as it should be.
  for (std::uint32_t i = 0; i < count; i += 3) index.erase(key_of(i), columns.view());
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t found = index.find(key_of(i), columns.view());
    if (i % 3 == 0) REQUIRE(found == PairIndex::none);
    else REQUIRE(found == i);
  }
  CHECK(index.size() == count - (count + 2) / 3);
  // Before the erases: at most 3/4 full and more than half (doubling would have left 1,000,000
  // keys in 2,097,152 entries, 48% full).
  CHECK(4 * count <= 3 * index.capacity());
  CHECK(2 * count > index.capacity());
}

TEST_CASE("PairIndex: keys whose hashes agree in the stored half are told apart by the columns") {
  // Distinct keys can share the upper half of their hash (by the birthday bound, a few among some
  // 200,000 random keys); find and erase must still compare the whole pair. Search four such pairs.
  PairIndex index;
  TestColumns columns;
  std::map<std::uint32_t, std::uint64_t> first_of_hash;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> clashes;
  std::uint64_t x = 11;
  auto next32 = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 32; };
  for (int tries = 0; tries < 2000000 && clashes.size() < 4; ++tries) {
    const std::uint64_t a = next32() % 0xFFFFFFF0u, b = a + 1 + next32() % 8;
    const std::uint64_t key = (a << 32) | b;
    const auto [it, fresh] = first_of_hash.emplace(PairIndex::hash_of(key), key);
    if (!fresh && it->second != key) clashes.emplace_back(it->second, key);
  }
  REQUIRE(clashes.size() == 4);
  for (const auto& [k1, k2] : clashes) {
    const std::uint32_t v1 = columns.add(k1), v2 = columns.add(k2);
    REQUIRE(index.try_emplace(k1, v1, columns.view()).second);
    REQUIRE(index.try_emplace(k2, v2, columns.view()).second);
  }
  for (const auto& [k1, k2] : clashes) {
    index.erase(k1, columns.view());
    CHECK_FALSE(index.contains(k1, columns.view()));
    CHECK(index.contains(k2, columns.view()));
  }
}

namespace {
// Deterministic pseudo-random numbers for the batch tests.
struct Lcg {
  std::uint64_t x;
  std::uint64_t next() { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 33; }
};

// Every field of every slot, the counters and the change lists must agree.
void require_same(TieStore& x, TieStore& y) {
  REQUIRE(x.slots() == y.slots());
  REQUIRE(x.alive() == y.alive());
  REQUIRE(x.alive_renewed() == y.alive_renewed());
  for (std::size_t t = 0; t < x.slots(); ++t) {
    REQUIRE(x.is_alive(t) == y.is_alive(t));
    REQUIRE(x.a(t) == y.a(t));
    REQUIRE(x.b(t) == y.b(t));
    REQUIRE(x.weight(t) == y.weight(t));
    REQUIRE(x.formed(t) == y.formed(t));
    REQUIRE(x.held_until(t) == y.held_until(t));
    REQUIRE(x.renewals(t) == y.renewals(t));
    REQUIRE(x.origin(t) == y.origin(t));
    REQUIRE(x.instrument(t) == y.instrument(t));
  }
  const TieStore::Changes cx = x.take_changes(), cy = y.take_changes();
  REQUIRE(cx.formed == cy.formed);
  REQUIRE(cx.dissolved == cy.dissolved);
}
}  // namespace

TEST_CASE("form_all forms and renews exactly as form() pair by pair, through decay and compaction") {
  TieStore batch, single;
  Lcg rng{11};
  for (Month month = 0; month < 40; ++month) {
    // Batches of a few thousand pairs over 3000 organisations: many renew ties formed before, and
    // they are large enough for the index's parallel path.
    std::vector<std::pair<OrgIndex, OrgIndex>> pairs;
    const std::size_t n = month % 5 == 4 ? 20 : 3000;
    for (std::size_t i = 0; i < n; ++i) {
      const auto a = static_cast<OrgIndex>(rng.next() % 3000);
      const auto b = static_cast<OrgIndex>(a + 1 + rng.next() % 200);
      pairs.emplace_back(a, b);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    const std::size_t formed = batch.form_all(pairs, 1.0, 0.5, month, TieOrigin::autonomous, -1);
    std::size_t expected = 0;
    for (const auto& [a, b] : pairs) expected += single.form(a, b, 1.0, 0.5, month, TieOrigin::autonomous, -1);
    REQUIRE(formed == expected);
    // A funded tie formed one by one in the same month, as the engine does after the search.
    batch.form(7, 3001, 2.0, 0.5, month, TieOrigin::partnership, 1);
    single.form(7, 3001, 2.0, 0.5, month, TieOrigin::partnership, 1);
    REQUIRE(batch.decay(0.3, 0.4, month) == single.decay(0.3, 0.4, month));
    require_same(batch, single);
    for (const auto& [a, b] : pairs) REQUIRE(batch.contains(a, b) == single.contains(a, b));
  }
}

TEST_CASE("form_all refuses unsorted, repeated or reversed pairs and leaves the store as it was") {
  TieStore ties;
  ties.form(1, 2, 1.0, 0.5, 0, TieOrigin::autonomous, -1);
  using Pairs = std::vector<std::pair<OrgIndex, OrgIndex>>;
  for (const Pairs& bad : {Pairs{{1, 2}, {0, 5}}, Pairs{{0, 5}, {0, 5}}, Pairs{{3, 3}}, Pairs{{0, 5}, {6, 4}}}) {
    CHECK_THROWS_AS(ties.form_all(bad, 1.0, 0.5, 1, TieOrigin::autonomous, -1), std::logic_error);
    CHECK(ties.slots() == 1);
    CHECK(ties.renewals(0) == 0);
  }
  CHECK(ties.take_changes().formed.size() == 1);
}

TEST_CASE("decay lists the ties it dissolves in slot order") {
  TieStore ties;
  Lcg rng{3};
  for (OrgIndex i = 0; i < 100000; ++i) ties.form(i, i + 1, 0.2 + double(rng.next() % 1000) / 1000.0, 1.0, 0, TieOrigin::autonomous, -1);
  ties.take_changes();
  std::vector<std::pair<OrgIndex, OrgIndex>> expected;
  for (std::size_t t = 0; t < ties.slots(); ++t)
    if (ties.weight(t) * 0.9 < 0.5) expected.emplace_back(ties.a(t), ties.b(t));
  REQUIRE(expected.size() > 20000);
  CHECK(ties.decay(0.1, 0.5, 1) == expected.size());
  CHECK(ties.take_changes().dissolved == expected);
  for (const auto& [a, b] : expected) REQUIRE_FALSE(ties.contains(a, b));
}

TEST_CASE("ShardedPairIndex batches agree with std::map, in one part or several") {
  // Part sizes: the default (every batch in one part) and 700 keys (a batch of 5000 in eight parts,
  // a key repeated across parts: the later part's value wins, as in one part).
  for (const std::size_t part : {std::size_t(0), std::size_t(700)}) {
    ShardedPairIndex index;
    if (part > 0) index.set_part_keys(part);
    TestColumns columns;
    std::map<std::uint64_t, std::uint32_t> reference;
    Lcg rng{9};
    for (int round = 0; round < 30; ++round) {
      const std::size_t n = round % 3 == 0 ? 100 : 5000;  // small batches take the serial path
      std::vector<std::uint64_t> keys;
      std::vector<std::uint32_t> values;
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t a = rng.next() % 4000, b = a + 1 + rng.next() % 4000;
        keys.push_back((a << 32) | b);
        values.push_back(columns.add(keys.back()));
      }
      if (round % 2 == 0) {
        index.assign_all(keys, values, columns.view());
        for (std::size_t i = 0; i < n; ++i) reference[keys[i]] = values[i];  // a repeated key: the last value wins
      } else {
        index.erase_all(keys, columns.view());
        for (const std::uint64_t key : keys) reference.erase(key);
      }
      for (std::size_t i = 0; i < n; ++i) {
        const auto it = reference.find(keys[i]);
        const std::uint32_t found = index.find(keys[i], columns.view());
        REQUIRE((found != PairIndex::none) == (it != reference.end()));
        if (found != PairIndex::none) REQUIRE(found == it->second);
      }
    }
    for (const auto& [key, value] : reference) REQUIRE(index.find(key, columns.view()) == value);
    index.clear();
    for (const auto& entry : reference) REQUIRE_FALSE(index.contains(entry.first, columns.view()));
  }
}

TEST_CASE("weights_of gives find() and weight() pair by pair, missing pairs as NaN, in any batch length") {
  TieStore ties;
  Lcg random{29};
  std::vector<std::pair<OrgIndex, OrgIndex>> formed;
  for (int i = 0; i < 5000; ++i) {
    const auto a = OrgIndex(random.next() % 700), b = OrgIndex(random.next() % 700);
    if (a == b) continue;
    ties.form(a, b, 1.0 + double(i % 17) / 8.0, 0.25, 0, TieOrigin::autonomous, -1);
    formed.emplace_back(a, b);
  }
  ties.form(1, 2, 0.2, 0.25, 1, TieOrigin::autonomous, -1);  // renewed or formed in month 1: kept
  // Decay dissolves the weakest ties (those below 0.9 after one month at 20%): pairs of dissolved
  // ties must come back as missing, as find() says.
  REQUIRE(ties.decay(0.2, 0.9, 1) > 0);
  std::vector<std::pair<OrgIndex, OrgIndex>> asked;
  for (std::size_t i = 0; i < formed.size(); ++i) {
    asked.push_back(i % 2 ? formed[i] : std::pair{formed[i].second, formed[i].first});  // either order
    asked.emplace_back(OrgIndex(random.next() % 900), OrgIndex(900 + random.next() % 5));  // never formed
  }
  for (const std::size_t length : {std::size_t(0), std::size_t(1), std::size_t(31), std::size_t(33), asked.size()}) {
    std::vector<double> out(length, -1.0);
    const std::size_t missing = ties.weights_of({asked.data(), length}, out);
    std::size_t expected_missing = 0;
    for (std::size_t i = 0; i < length; ++i) {
      const TieIndex t = ties.find(asked[i].first, asked[i].second);
      if (t == none<TieIndex>) {
        ++expected_missing;
        CHECK(std::isnan(out[i]));
      } else {
        CHECK(out[i] == ties.weight(t));
      }
    }
    CHECK(missing == expected_missing);
    if (length == asked.size()) CHECK(missing > formed.size());  // the never-formed half and the dissolved
  }
  std::vector<double> short_out(2);
  CHECK_THROWS_AS(ties.weights_of({asked.data(), 3}, short_out), std::logic_error);
}

TEST_CASE("ShardedPairIndex::rebuild indexes a pair column from scratch") {
  for (const std::size_t n : {std::size_t(300), std::size_t(20000), std::size_t(20001)}) {  // serial, sharded, in parts
    ShardedPairIndex index;
    if (n == 20001) index.set_part_keys(3000);  // seven parts, the last of 2,001 keys
    TestColumns old_columns, columns;
    Lcg rng{n};
    std::vector<std::uint64_t> stale;
    for (std::size_t i = 0; i < 1000; ++i) stale.push_back(((rng.next() % 5000) << 32) | (5000 + rng.next() % 5000));
    std::vector<std::uint32_t> stale_values;
    for (const std::uint64_t key : stale) stale_values.push_back(old_columns.add(key));
    index.assign_all(stale, stale_values, old_columns.view());
    std::set<std::uint64_t> seen;
    while (columns.keys.size() < n) {
      const std::uint64_t a = rng.next() % 20000, b = a + 1 + rng.next() % 20000;
      if (seen.insert((a << 32) | b).second) columns.add((a << 32) | b);
    }
    index.rebuild(n, columns.view());
    for (std::size_t t = 0; t < n; ++t) REQUIRE(index.find(columns.keys[t], columns.view()) == t);
    for (const std::uint64_t key : stale)
      if (!seen.count(key)) REQUIRE_FALSE(index.contains(key, columns.view()));
  }
}

TEST_CASE("the tie store compacts once an eighth of its slots are tombstones, and finds every tie after") {
  TieStore ties;
  for (OrgIndex i = 0; i < 2000; ++i) {
    const double weight = i % 10 == 0 ? 0.1 : i % 20 == 5 ? 0.3 : 1.0;
    ties.form(i, i + 1, weight, 1.0, 0, TieOrigin::autonomous, -1);
  }
  ties.decay(0.0, 0.2, 1);  // a tenth dissolve: tombstones stay
  CHECK(ties.alive() == 1800);
  CHECK(ties.slots() == 2000);
  ties.decay(0.0, 0.35, 2);  // 15% of the slots are tombstones now: compacted
  CHECK(ties.alive() == 1700);
  REQUIRE(ties.slots() == 1700);
  for (std::size_t t = 0; t < ties.slots(); ++t) REQUIRE(ties.find(ties.a(t), ties.b(t)) == t);
  CHECK_FALSE(ties.contains(0, 1));
  CHECK_FALSE(ties.contains(5, 6));
  CHECK(ties.contains(1, 2));
}

TEST_CASE("compact_if_sparse packs the store only above its share of tombstones") {
  TieStore ties;
  for (OrgIndex i = 0; i < 2000; ++i) ties.form(i, i + 1, i % 25 == 0 ? 0.1 : 1.0, 1.0, 0, TieOrigin::autonomous, -1);
  ties.decay(0.0, 0.2, 1);  // 80 of 2,000 dissolve (4%): decay leaves the tombstones
  REQUIRE(ties.alive() == 1920);
  REQUIRE(ties.slots() == 2000);
  CHECK_FALSE(ties.compact_if_sparse(16));  // 4% is not above one in sixteen
  CHECK(ties.slots() == 2000);
  CHECK_THROWS_AS(ties.compact_if_sparse(0), std::logic_error);
  CHECK(ties.compact_if_sparse(32));  // above one in thirty-two
  REQUIRE(ties.slots() == 1920);
  for (std::size_t t = 0; t < ties.slots(); ++t) REQUIRE(ties.find(ties.a(t), ties.b(t)) == t);
  CHECK(ties.a(0) == 1);
  CHECK_FALSE(ties.contains(25, 26));
  CHECK_FALSE(ties.compact_if_sparse(32));  // nothing left to drop
}
