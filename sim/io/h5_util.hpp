#pragma once
// Internal to sim/io: thin RAII wrappers over the HDF5 C API. The C API reports failure through
// negative return values rather than exceptions, so each call is checked here and turned into a
// clusternet::Error that names the object; nothing HDF5-specific leaks past sim/io, and no HDF5
// call can terminate the program on malformed input. Automatic error printing is switched off once
// (quiet_hdf5()), because a bad input file is an expected condition reported by our own message.
#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace clusternet::io::h5 {

void quiet_hdf5();

// Deflate level of datasets created from now on (0 = none); set by the one writer thread.
int& deflate_level();

// Throws Error("<what>: HDF5 call failed") when `status` is negative.
inline void check(herr_t status, const std::string& what) {
  if (status < 0) throw Error(what + ": HDF5 call failed");
}

// An owning hid_t with the matching close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
    if (id < 0) throw Error(what + ": HDF5 call failed");
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, -1);
      closer_ = o.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }  // NOLINT: handles are passed straight to the C API
  void reset() {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = -1;
  }
  // Closes now and reports failure (closing a file flushes it, which can fail on a full disk).
  void close(const std::string& what) {
    if (id_ < 0) return;
    const herr_t s = closer_(id_);
    id_ = -1;
    check(s, what);
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Readers trust nothing a file says about itself (the guards below are called by every read here).
// Refuses a file whose links a reader does not expect, before anything else walks it: soft and
// external links (an external link can name the file itself, which HDF5 then opens again and
// again), an object reached through two hard links (a group linked into itself makes every walk
// endless), groups nested deeper than `max_depth`, and more than `max_links` links in all.
// Throws Error naming the link.
void check_link_structure(hid_t file, std::size_t max_links, int max_depth);

// Refuses to read `elements` values of `memory_size` bytes each from dataset `dset` when the file
// could not hold them: a real file stores every value it declares, compressed by deflate at most
// about 1000:1, so a small file declaring a huge dataset is refused before the memory is
// allocated. Throws Error naming the dataset.
void check_read_size(hid_t dset, const std::string& name, hsize_t elements, std::size_t memory_size);

Handle utf8_string_type();                     // variable-length UTF-8 string
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& path);
std::vector<std::string> children(hid_t group);  // member names in name order

// Attributes.
void write_attr(hid_t obj, const std::string& name, const std::string& value);
void write_attr(hid_t obj, const std::string& name, std::int64_t value);
void write_attr_u64(hid_t obj, const std::string& name, std::uint64_t value);
void write_attr(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values);
bool has_attr(hid_t obj, const std::string& name);
std::string read_attr_string(hid_t obj, const std::string& name);
std::int64_t read_attr_int(hid_t obj, const std::string& name);
std::uint64_t read_attr_u64(hid_t obj, const std::string& name);
std::vector<std::int64_t> read_attr_ints(hid_t obj, const std::string& name);

// Datasets of numbers: chunked and deflate-compressed, extendible along the first dimension.
void write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const double* data);
void write_ints(hid_t parent, const std::string& name, const std::vector<std::int32_t>& data);
std::vector<hsize_t> shape(hid_t parent, const std::string& name);
std::vector<double> read_doubles(hid_t parent, const std::string& name, std::vector<hsize_t>& dims);
std::vector<std::int32_t> read_ints(hid_t parent, const std::string& name);

// One-dimensional dataset of UTF-8 strings; a scalar string dataset.
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
void write_scalar_string(hid_t parent, const std::string& name, const std::string& value);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);
std::string read_scalar_string(hid_t parent, const std::string& name);

// Shared by h5_util.cpp and h5_tables.cpp; not for callers outside sim/io's HDF5 files.
namespace detail {
// The chunk shape of every chunked dataset the writer makes (at most ~256 KiB a chunk).
std::vector<hsize_t> chunk_dims(const std::vector<hsize_t>& dims, std::size_t element_size);
// A chunked dataset, extendible along the first dimension, shuffled and deflated at
// deflate_level() when that is above 0.
Handle chunked_dataset(hid_t parent, const std::string& name, hid_t file_type, const std::vector<hsize_t>& dims,
                       std::size_t element_size);
Handle open_dataset(hid_t parent, const std::string& name);
std::vector<hsize_t> dataset_dims(hid_t dset, const std::string& name);
// Refuses a read of variable-length strings that would allocate more than the whole file holds.
void check_variable_length_size(hid_t dset, hid_t memory_type, const std::string& name);
}  // namespace detail

// A compound table described field by field. Rows are packed by the caller into a byte buffer of
// `row_size` bytes per row; string fields hold `char*` (variable-length UTF-8, owned by the caller
// when writing, freed by read_table's reclaim when reading).
struct Field {
  std::string name;
  std::size_t offset;
  hid_t type;  // a native type or utf8 string type (not owned)
};
void write_table(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields,
                 std::size_t rows, const void* data);
// The same table (same file type, chunks and filters), packed and written block by block:
// fill(first, count, out) packs rows [first, first + count) into `out` (count * row_size bytes).
// With compression on (deflate_level() > 0) and no string fields, fill is called from several
// threads at once, for disjoint ranges (one chunk each), so it must only read shared state.
// Holds one block of a few MiB, not the table: the final network of a run at scale 250 has
// about 140 million ties.
void write_table_blocks(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields,
                        std::size_t rows, const std::function<void(std::size_t, std::size_t, unsigned char*)>& fill);
// Reads into `data` (resized to rows * row_size). Every field must exist in the file.
std::size_t read_table(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields,
                       std::vector<unsigned char>& data);
// Reads the table block by block, whole chunks of the file at a time (about 8 MiB of rows):
// consume(first, count, total, rows) gets rows [first, first + count) of `total` (checked, as
// read_table checks it, against what the file can hold), packed as read_table packs them.
// Holds one block, not the table (the final network of a whole-EU run is 4 GB in memory). Numeric
// fields only. Returns the number of rows.
std::size_t read_table_blocks(hid_t parent, const std::string& name, std::size_t row_size,
                              const std::vector<Field>& fields,
                              const std::function<void(std::size_t, std::size_t, std::size_t, const unsigned char*)>& consume);
// Frees the variable-length strings read by read_table.
void reclaim_table(std::size_t row_size, const std::vector<Field>& fields, std::size_t rows,
                   std::vector<unsigned char>& data);

}  // namespace clusternet::io::h5
