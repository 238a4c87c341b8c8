// Compound tables in HDF5 files (io/h5_util.hpp): written whole or block by block (the final
// network of a whole-EU run, its chunks deflated in parallel), read back, strings reclaimed.
#include "io/h5_util.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "core/cancel.hpp"
#include "core/parallel.hpp"

namespace clusternet::io::h5 {

using detail::chunk_dims;
using detail::check_variable_length_size;
using detail::chunked_dataset;
using detail::dataset_dims;
using detail::open_dataset;

namespace {
Handle memory_compound(std::size_t row_size, const std::vector<Field>& fields, const std::string& what) {
  Handle t(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose, "compound type of " + what);
  for (const auto& f : fields) check(H5Tinsert(t, f.name.c_str(), f.offset, f.type), "field " + f.name + " of " + what);
  return t;
}
}  // namespace

void write_table(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields,
                 std::size_t rows, const void* data) {
  Handle mem = memory_compound(row_size, fields, name);
  // The file type is the memory layout without padding, so readers see only the named fields.
  Handle file(H5Tcopy(mem), H5Tclose, "compound type of " + name);
  check(H5Tpack(file), "compound type of " + name);
  Handle d = chunked_dataset(parent, name, file, {rows}, row_size);
  if (rows > 0) check(H5Dwrite(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name);
}

namespace {

// What HDF5's filter pipeline of chunked_dataset (byte shuffle, then deflate at deflate_level())
// stores for one chunk of `elements` elements of `size` bytes: the shuffled bytes, deflated. HDF5
// 1.10 keeps the deflated bytes even where they are longer than the chunk (random bytes), so this
// does too (tests/io compare both paths chunk by chunk). Pure computation, no HDF5 call: chunks are
// filtered in parallel and handed to H5Dwrite_chunk one after another.
void filter_chunk(const unsigned char* raw, std::size_t elements, std::size_t size, std::vector<unsigned char>& out) {
  const std::size_t nbytes = elements * size;
  std::vector<unsigned char> shuffled(nbytes);
  // Shuffle: byte j of every element together, j = 0 .. size - 1 (HDF5's shuffle filter; a single
  // element, or one-byte elements, pass unchanged).
  if (elements > 1 && size > 1) {
    for (std::size_t j = 0; j < size; ++j)
      for (std::size_t i = 0; i < elements; ++i) shuffled[j * elements + i] = raw[i * size + j];
  } else {
    std::memcpy(shuffled.data(), raw, nbytes);
  }
  uLongf packed = compressBound(static_cast<uLong>(nbytes));
  out.resize(packed);
  const int status = compress2(out.data(), &packed, shuffled.data(), static_cast<uLong>(nbytes), deflate_level());
  if (status != Z_OK) throw Error("compressing a chunk failed (zlib status " + std::to_string(status) + ")");
  out.resize(packed);
}

}  // namespace

void write_table_blocks(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields,
                        std::size_t rows, const std::function<void(std::size_t, std::size_t, unsigned char*)>& fill) {
  Handle mem = memory_compound(row_size, fields, name);
  Handle file(H5Tcopy(mem), H5Tclose, "compound type of " + name);
  check(H5Tpack(file), "compound type of " + name);
  Handle d = chunked_dataset(parent, name, file, {rows}, row_size);
  if (rows == 0) return;
  // Whole chunks per block (about 8 MiB), so that no chunk is written twice.
  const auto chunk = static_cast<std::size_t>(chunk_dims({rows}, row_size)[0]);
  const std::size_t block = std::max<std::size_t>(1, (std::size_t(8) << 20) / (row_size * chunk)) * chunk;
  std::vector<unsigned char> buffer(std::min(block, rows) * row_size);
  Handle file_space(H5Dget_space(d), H5Sclose, "dataspace of " + name);
  // With compression the chunks of a block are packed, shuffled and deflated here, in parallel,
  // and stored as they are (H5Dwrite_chunk): HDF5 filters one chunk after another on one core,
  // half a minute for the final network of a whole-EU run. The stored bytes are those HDF5's own
  // pipeline makes (tests/io: chunk by chunk against H5Dwrite). Tables with strings keep H5Dwrite.
  const bool numeric = std::none_of(fields.begin(), fields.end(), [](const Field& f) { return H5Tis_variable_str(f.type) > 0; });
  const bool direct = deflate_level() > 0 && numeric;
  const std::size_t packed_size = H5Tget_size(file);
  std::vector<std::size_t> member_offset(fields.size()), member_size(fields.size());
  for (std::size_t k = 0; k < fields.size(); ++k) {
    const int index = H5Tget_member_index(file, fields[k].name.c_str());
    if (index < 0) throw Error("compound type of " + name + ": no field " + fields[k].name);
    member_offset[k] = H5Tget_member_offset(file, static_cast<unsigned>(index));
    member_size[k] = H5Tget_size(fields[k].type);
  }
  const std::size_t chunks_per_block = block / chunk;
  std::vector<std::vector<unsigned char>> filtered(direct ? chunks_per_block : 0);
  for (std::size_t first = 0; first < rows; first += block) {
    // A whole-EU edge table takes half a minute to compress: a stop asked for (Ctrl-C) is honoured
    // between blocks, not at the end of the table (core/cancel.hpp; nothing when no scope is live).
    throw_if_cancelled();
    const std::size_t count = std::min(block, rows - first);
    if (!direct) {
      fill(first, count, buffer.data());
      const hsize_t start = first, n = count;
      check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, nullptr, &n, nullptr), "select rows of " + name);
      Handle memory_space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace of " + name);
      check(H5Dwrite(d, mem, memory_space, file_space, H5P_DEFAULT, buffer.data()), "write " + name);
      continue;
    }
    const std::size_t chunks = (count + chunk - 1) / chunk;
    for_each_index(0, chunks, [&](std::size_t c) {
      // The chunk's rows as the caller lays them out, then as the file packs them; a last chunk
      // past the table's end is zeros there, as HDF5 fills it.
      const std::size_t in_chunk = std::min(chunk, count - c * chunk);
      fill(first + c * chunk, in_chunk, buffer.data() + c * chunk * row_size);
      std::vector<unsigned char> packed(chunk * packed_size, 0);
      for (std::size_t i = 0; i < in_chunk; ++i) {
        const unsigned char* row = buffer.data() + (c * chunk + i) * row_size;
        for (std::size_t k = 0; k < fields.size(); ++k)
          std::memcpy(packed.data() + i * packed_size + member_offset[k], row + fields[k].offset, member_size[k]);
      }
      filter_chunk(packed.data(), chunk, packed_size, filtered[c]);
    }, Execution::parallel, 1);
    for (std::size_t c = 0; c < chunks; ++c) {
      const hsize_t offset = first + c * chunk;
      check(H5Dwrite_chunk(d, H5P_DEFAULT, 0, &offset, filtered[c].size(), filtered[c].data()), "write " + name);
    }
  }
}

namespace {
// A table opened for reading: its fields checked against the file's, its row count, and the
// memory type rows are read into.
struct OpenTable {
  Handle dataset, memory;
  std::size_t rows = 0;
};

OpenTable open_table(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields) {
  Handle d = open_dataset(parent, name);
  Handle type(H5Dget_type(d), H5Tclose, "type of " + name);
  if (H5Tget_class(type) != H5T_COMPOUND) throw Error("dataset " + name + " is not a table");
  for (const auto& f : fields)
    if (H5Tget_member_index(type, f.name.c_str()) < 0)
      throw Error(ErrorInfo{"table " + name + " lacks a field", {}, f.name, "", ""});
  const auto dims = dataset_dims(d, name);
  if (dims.size() != 1) throw Error("table " + name + " is not one-dimensional");
  const std::size_t rows = dims[0];
  check_read_size(d, name, rows, row_size);
  Handle mem = memory_compound(row_size, fields, name);
  return {std::move(d), std::move(mem), rows};
}
}  // namespace

std::size_t read_table_blocks(hid_t parent, const std::string& name, std::size_t row_size,
                              const std::vector<Field>& fields,
                              const std::function<void(std::size_t, std::size_t, std::size_t, const unsigned char*)>& consume) {
  if (std::any_of(fields.begin(), fields.end(), [](const Field& f) { return H5Tis_variable_str(f.type) > 0; }))
    throw Error("read_table_blocks: table " + name + " has string fields; read it with read_table");
  OpenTable t = open_table(parent, name, row_size, fields);
  if (t.rows == 0) return 0;
  // Whole chunks of the file per block (about 8 MiB of rows), so that no chunk is decompressed
  // twice; a contiguous table in blocks of about 8 MiB.
  Handle dcpl(H5Dget_create_plist(t.dataset), H5Pclose, "properties of " + name);
  hsize_t chunk = 1;
  if (H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, 1, &chunk) == 1) chunk = std::max<hsize_t>(chunk, 1);
  const std::size_t per_block = std::max<std::size_t>(1, (std::size_t(8) << 20) / (row_size * chunk)) * chunk;
  std::vector<unsigned char> buffer(std::min(per_block, t.rows) * row_size);
  Handle file_space(H5Dget_space(t.dataset), H5Sclose, "dataspace of " + name);
  for (std::size_t first = 0; first < t.rows; first += per_block) {
    const std::size_t count = std::min(per_block, t.rows - first);
    const hsize_t start = first, n = count;
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, nullptr, &n, nullptr), "select rows of " + name);
    Handle memory_space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace of " + name);
    std::fill(buffer.begin(), buffer.begin() + std::ptrdiff_t(count * row_size), 0);
    check(H5Dread(t.dataset, t.memory, memory_space, file_space, H5P_DEFAULT, buffer.data()), "read " + name);
    consume(first, count, t.rows, buffer.data());
  }
  return t.rows;
}

std::size_t read_table(hid_t parent, const std::string& name, std::size_t row_size, const std::vector<Field>& fields,
                       std::vector<unsigned char>& data) {
  OpenTable t = open_table(parent, name, row_size, fields);
  if (std::any_of(fields.begin(), fields.end(), [](const Field& f) { return H5Tis_variable_str(f.type) > 0; }))
    check_variable_length_size(t.dataset, t.memory, name);
  data.assign(t.rows * row_size, 0);
  if (t.rows > 0) check(H5Dread(t.dataset, t.memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "read " + name);
  return t.rows;
}

void reclaim_table(std::size_t row_size, const std::vector<Field>& fields, std::size_t rows,
                   std::vector<unsigned char>& data) {
  if (rows == 0) return;
  Handle mem = memory_compound(row_size, fields, "table");
  const hsize_t n = rows;
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(mem, space, H5P_DEFAULT, data.data());
#else
  H5Dvlen_reclaim(mem, space, H5P_DEFAULT, data.data());
#endif
}

}  // namespace clusternet::io::h5
