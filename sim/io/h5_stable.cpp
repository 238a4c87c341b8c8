#include "io/h5_stable.hpp"

#include <algorithm>
#include <limits>

namespace clusternet::io::h5::stable {

namespace {

Handle untimed(hid_t class_id, const std::string& what) {
  Handle plist(H5Pcreate(class_id), H5Pclose, what);
  check(H5Pset_obj_track_times(plist, 0), what);
  return plist;
}

Handle utf8_links(const std::string& what) {
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, what);
  check(H5Pset_create_intermediate_group(lcpl, 1), what);
  check(H5Pset_char_encoding(lcpl, H5T_CSET_UTF8), what);
  return lcpl;
}

}  // namespace

Handle group(hid_t parent, const std::string& name) {
  if (exists(parent, name)) return open_group(parent, name);
  Handle lcpl = utf8_links("link properties of " + name);
  Handle gcpl = untimed(H5P_GROUP_CREATE, "group properties of " + name);
  // Intermediate groups take the group creation properties too, so they are untimed as well.
  return Handle(H5Gcreate2(parent, name.c_str(), lcpl, gcpl, H5P_DEFAULT), H5Gclose, "create group " + name);
}

std::vector<hsize_t> default_chunk(const std::vector<hsize_t>& dims, std::size_t element_size) {
  std::vector<hsize_t> chunk(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) chunk[i] = std::max<hsize_t>(1, dims[i]);
  auto bytes = [&] {
    hsize_t n = element_size;
    for (hsize_t c : chunk) n *= c;
    return n;
  };
  while (bytes() > 256 * 1024) {
    auto largest = std::max_element(chunk.begin(), chunk.end());
    if (*largest == 1) break;
    *largest = (*largest + 1) / 2;
  }
  return chunk;
}

Handle dataset(hid_t parent, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
               const std::vector<hsize_t>& chunk) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
               "dataspace of " + name);
  Handle dcpl = untimed(H5P_DATASET_CREATE, "dataset properties of " + name);
  // An empty dataset cannot be chunked (a chunk may not exceed a fixed dimension): it stays contiguous.
  const bool empty = std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end();
  if (!empty) {
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunking of " + name);
    check(H5Pset_shuffle(dcpl), "shuffle filter of " + name);
    check(H5Pset_deflate(dcpl, 4), "deflate filter of " + name);
  }
  if (H5Tequal(type, H5T_IEEE_F64LE) > 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    check(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan), "fill value of " + name);
  }
  Handle lcpl = utf8_links("link properties of " + name);
  return Handle(H5Dcreate2(parent, name.c_str(), type, space, lcpl, dcpl, H5P_DEFAULT), H5Dclose,
                "create dataset " + name);
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                   const double* data) {
  Handle d = dataset(parent, name, H5T_IEEE_F64LE, dims, default_chunk(dims, sizeof(double)));
  hsize_t n = 1;
  for (hsize_t x : dims) n *= x;
  if (n > 0) check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name);
}

void write_ints(hid_t parent, const std::string& name, const std::vector<std::int32_t>& values) {
  const std::vector<hsize_t> dims{values.size()};
  Handle d = dataset(parent, name, H5T_STD_I32LE, dims, default_chunk(dims, sizeof(std::int32_t)));
  if (!values.empty())
    check(H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  const std::vector<hsize_t> dims{values.size()};
  Handle d = dataset(parent, name, type, dims, default_chunk(dims, sizeof(char*)));
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (!pointers.empty())
    check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write " + name);
}

void write_scalar_string(hid_t parent, const std::string& name, const std::string& value) {
  Handle type = utf8_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace of " + name);
  Handle dcpl = untimed(H5P_DATASET_CREATE, "dataset properties of " + name);
  Handle lcpl = utf8_links("link properties of " + name);
  Handle d(H5Dcreate2(parent, name.c_str(), type, space, lcpl, dcpl, H5P_DEFAULT), H5Dclose,
           "create dataset " + name);
  const char* text = value.c_str();
  check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "write " + name);
}

void write_table(hid_t parent, const std::string& name, std::size_t row_size,
                 const std::vector<Field>& fields, std::size_t rows, const void* data) {
  Handle memory(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose, "compound type of " + name);
  for (const auto& f : fields)
    check(H5Tinsert(memory, f.name.c_str(), f.offset, f.type), "field " + f.name + " of " + name);
  // The file type is the memory layout without padding, so readers see only the named fields.
  Handle file(H5Tcopy(memory), H5Tclose, "compound type of " + name);
  check(H5Tpack(file), "compound type of " + name);
  const std::vector<hsize_t> dims{rows};
  Handle d = dataset(parent, name, file, dims, default_chunk(dims, row_size));
  if (rows > 0) check(H5Dwrite(d, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name);
}

void write_block(hid_t dset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                 const double* data, const std::string& what) {
  Handle file_space(H5Dget_space(dset), H5Sclose, "dataspace of " + what);
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "selection in " + what);
  Handle memory_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose,
                      "dataspace of " + what);
  check(H5Dwrite(dset, H5T_NATIVE_DOUBLE, memory_space, file_space, H5P_DEFAULT, data), "write " + what);
}

}  // namespace clusternet::io::h5::stable
