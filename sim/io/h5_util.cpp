#include "io/h5_util.hpp"

#include <algorithm>
#include <mutex>
#include <set>


namespace clusternet::io::h5 {

void quiet_hdf5() {
  // HDF5 prints a stack of its internal errors to stderr by default; we report our own message.
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

int& deflate_level() {
  static int level = 4;
  return level;
}

namespace {

struct LinkWalk {
  std::set<haddr_t> objects;  // addresses of the objects reached so far
  std::size_t links = 0;
  std::size_t max_links = 0;
  int max_depth = 0;
  std::string problem;
  std::vector<std::string> subgroups;  // hard links to groups in the group being listed
  const std::string* prefix = nullptr; // that group's path, "" for the root
};

// One link of one group (H5Literate, not recursive): checks the link and notes child groups.
herr_t visit_link(hid_t group, const char* name, const H5L_info_t* info, void* data) {
  auto& walk = *static_cast<LinkWalk*>(data);
  const std::string path = *walk.prefix + "/" + name;
  if (++walk.links > walk.max_links) {
    walk.problem = "the file holds more than " + std::to_string(walk.max_links) + " links, far more than any result";
    return 1;  // a positive value stops the walk without an HDF5 error
  }
  if (std::count(path.begin(), path.end(), '/') > walk.max_depth) {
    walk.problem = path.substr(0, 120) + "...: groups nested more than " + std::to_string(walk.max_depth) + " deep";
    return 1;
  }
  if (info->type == H5L_TYPE_SOFT || info->type == H5L_TYPE_EXTERNAL) {
    walk.problem = path + " is a " + (info->type == H5L_TYPE_SOFT ? "soft" : "external") +
                   " link; a result file holds only its own groups and datasets";
    return 1;
  }
  if (info->type != H5L_TYPE_HARD) {
    walk.problem = path + " is a user-defined link; a result file holds only its own groups and datasets";
    return 1;
  }
  if (!walk.objects.insert(info->u.address).second) {
    walk.problem = path + " links to an object already linked elsewhere in the file (a cycle of groups, or a "
                          "shared object, which no result file has)";
    return 1;
  }
  H5O_info_t object{};
  if (H5Oget_info_by_name2(group, name, &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
    walk.problem = path + ": the object it links to cannot be read (a damaged file)";
    return 1;
  }
  if (object.type == H5O_TYPE_GROUP) walk.subgroups.emplace_back(name);
  return 0;
}

// Lists one group, then the groups below it, depth first. Links are visited in HDF5's native order:
// for a group with dense link storage, any other order makes HDF5 1.10 first copy every link into a
// table sized by the count the group declares, and on a forged group it then frees table entries it
// never filled (a crash found by fuzzing). The native order decodes and releases one link at a time.
void walk_group(hid_t group, const std::string& path, LinkWalk& walk) {
  const std::string shown = path.empty() ? std::string("/") : path;
  H5G_info_t info{};
  check(H5Gget_info(group, &info), "links of " + shown);
  if (info.nlinks > walk.max_links) {
    walk.problem = "the file holds more than " + std::to_string(walk.max_links) + " links, far more than any result";
    return;
  }
  walk.subgroups.clear();
  walk.prefix = &path;
  hsize_t index = 0;
  const std::size_t links_before = walk.links;
  const herr_t status = H5Literate(group, H5_INDEX_NAME, H5_ITER_NATIVE, &index, visit_link, &walk);
  if (!walk.problem.empty()) return;
  if (status < 0) throw Error(shown + ": its links cannot be read (a damaged or forged file)");
  // A group holding fewer links than it declares is what makes a name-ordered listing crash.
  if (walk.links - links_before != info.nlinks)
    throw Error(shown + ": declares " + std::to_string(info.nlinks) + " links but holds " +
                std::to_string(walk.links - links_before) + " (a damaged or forged file)");
  const std::vector<std::string> groups = std::move(walk.subgroups);
  for (const auto& child : groups) {
    const std::string child_path = path + "/" + child;
    Handle sub(H5Gopen2(group, child.c_str(), H5P_DEFAULT), H5Gclose, "open group " + child_path);
    walk_group(sub, child_path, walk);
    if (!walk.problem.empty()) return;
  }
}

hsize_t file_size_of(hid_t object) {
  const hid_t file = H5Iget_file_id(object);
  if (file < 0) return 0;
  hsize_t size = 0;
  if (H5Fget_filesize(file, &size) < 0) size = 0;
  H5Fclose(file);
  return size;
}

// Deflate cannot shrink data more than about 1032:1; the margin covers type conversion on read
// (an int32 column read as double). Datasets without a filter get unfiltered_expansion instead.
constexpr hsize_t max_expansion = 2100;
constexpr hsize_t always_allowed_bytes = hsize_t(1) << 16;

}  // namespace

void check_link_structure(hid_t file, std::size_t max_links, int max_depth) {
  LinkWalk walk;
  walk.max_links = max_links;
  walk.max_depth = max_depth;
  H5O_info_t root{};
  check(H5Oget_info2(file, &root, H5O_INFO_BASIC), "root group");
  walk.objects.insert(root.addr);
  Handle group(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, "open the root group");
  walk_group(group, "", walk);
  if (!walk.problem.empty()) throw Error(walk.problem);
}

namespace {
hsize_t unfiltered_expansion(std::size_t memory_size, std::size_t file_size) {
  return (memory_size + std::max<std::size_t>(file_size, 1) - 1) / std::max<std::size_t>(file_size, 1) + 1;
}

void check_bytes(const char* what, const std::string& name, hsize_t elements, std::size_t memory_size, hsize_t stored,
                 hsize_t expansion) {
  hsize_t bytes = 0;
  if (__builtin_mul_overflow(elements, hsize_t(std::max<std::size_t>(memory_size, 1)), &bytes))
    throw Error(std::string(what) + " " + name + " declares more values than any memory holds");
  if (bytes <= always_allowed_bytes) return;
  hsize_t limit = 0;
  if (__builtin_mul_overflow(stored, expansion, &limit)) return;
  if (bytes > limit + always_allowed_bytes)
    throw Error(ErrorInfo{std::string("the ") + what + " declares far more values than the file stores (a damaged or forged file)",
                          {},
                          name,
                          std::to_string(elements) + " values (" + std::to_string(bytes) + " bytes) from " +
                              std::to_string(stored) + " bytes stored",
                          "stored data that can hold the values declared"});
}

}  // namespace

// Variable-length data (strings) lives outside the dataset's storage, in the file's heap: what a
// read allocates for it can never exceed the file's size in a real file.
void detail::check_variable_length_size(hid_t dset, hid_t memory_type, const std::string& name) {
  Handle space(H5Dget_space(dset), H5Sclose, "dataspace of " + name);
  // HDF5 1.10's H5Dvlen_get_buf_size crashes on a scalar dataspace; one string is one heap object,
  // which HDF5 itself checks against its heap collection.
  if (H5Sget_simple_extent_ndims(space) < 1) return;
  hsize_t bytes = 0;
  check(H5Dvlen_get_buf_size(dset, memory_type, space, &bytes), "strings of " + name);
  const hsize_t file = file_size_of(dset);
  if (bytes > file + always_allowed_bytes)
    throw Error(ErrorInfo{"the strings of the dataset add up to more than the whole file (a damaged or forged file)",
                          {}, name, std::to_string(bytes) + " bytes of text in a file of " + std::to_string(file),
                          "strings stored in the file"});
}

using detail::check_variable_length_size;

void check_read_size(hid_t dset, const std::string& name, hsize_t elements, std::size_t memory_size) {
  const hsize_t stored = std::min(H5Dget_storage_size(dset), file_size_of(dset));
  Handle dcpl(H5Dget_create_plist(dset), H5Pclose, "properties of " + name);
  Handle type(H5Dget_type(dset), H5Tclose, "type of " + name);
  // Compressed, values may take ~1000 times less room in the file than in memory; stored as they
  // are, only the conversion to the memory type (e.g. int32 read as double) makes them larger.
  const hsize_t expansion =
      H5Pget_nfilters(dcpl) > 0 ? max_expansion : unfiltered_expansion(memory_size, H5Tget_size(type));
  check_bytes("dataset", name, elements, memory_size, stored, expansion);
}

Handle utf8_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(t, H5T_VARIABLE), "string type");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "string type");
  return t;
}

Handle create_group(hid_t parent, const std::string& name) {
  if (exists(parent, name)) return open_group(parent, name);
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "link properties");
  check(H5Pset_create_intermediate_group(lcpl, 1), "link properties");
  check(H5Pset_char_encoding(lcpl, H5T_CSET_UTF8), "link properties");
  return Handle(H5Gcreate2(parent, name.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create group " + name);
}

Handle open_group(hid_t parent, const std::string& name) {
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name);
}

bool exists(hid_t parent, const std::string& path) {
  // H5Lexists fails (rather than returning false) when an intermediate component is missing, so
  // the path is checked one component at a time.
  std::string prefix;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty()) {
      if (!prefix.empty()) prefix += '/';
      prefix += part;
      if (H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
      if (H5Oexists_by_name(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

namespace {
herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> children(hid_t group) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  // Native order (see walk_group), then sorted by name as H5_ITER_INC would give them.
  check(H5Literate(group, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, collect_name, &names), "list group members");
  std::sort(names.begin(), names.end());
  return names;
}

namespace {
Handle scalar_space() { return Handle(H5Screate(H5S_SCALAR), H5Sclose, "dataspace"); }
}  // namespace

void write_attr(hid_t obj, const std::string& name, const std::string& value) {
  Handle type = utf8_string_type();
  Handle space = scalar_space();
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "attribute " + name);
  Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
  const char* text = value.c_str();
  check(H5Awrite(attr, type, &text), "attribute " + name);
}

void write_attr(hid_t obj, const std::string& name, std::int64_t value) {
  Handle space = scalar_space();
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "attribute " + name);
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  check(H5Awrite(attr, H5T_NATIVE_INT64, &value), "attribute " + name);
}

void write_attr_u64(hid_t obj, const std::string& name, std::uint64_t value) {
  Handle space = scalar_space();
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "attribute " + name);
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  check(H5Awrite(attr, H5T_NATIVE_UINT64, &value), "attribute " + name);
}

void write_attr(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values) {
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "attribute " + name);
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  if (n > 0) check(H5Awrite(attr, H5T_NATIVE_INT64, values.data()), "attribute " + name);
}

bool has_attr(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

namespace {
// Reads `count` strings stored either as variable-length or fixed-length strings (files written by
// other tools use both), through a reader for the attribute or dataset.
template <typename ReadFn>
std::vector<std::string> read_string_values(hid_t file_type, std::size_t count, ReadFn read, const std::string& what) {
  if (H5Tget_class(file_type) != H5T_STRING) throw Error(what + " is not a string");
  std::vector<std::string> out;
  if (count == 0) return out;
  const htri_t variable = H5Tis_variable_str(file_type);
  if (variable < 0) throw Error(what + ": HDF5 call failed");
  if (variable > 0) {
    Handle mem = utf8_string_type();
    std::vector<char*> ptrs(count, nullptr);
    check(read(mem.get(), static_cast<void*>(ptrs.data())), what);
    for (char* p : ptrs) {
      out.emplace_back(p ? p : "");
      if (p) H5free_memory(p);
    }
  } else {
    const std::size_t size = H5Tget_size(file_type);
    if (size == 0) throw Error(what + ": HDF5 call failed");
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, what);
    check(H5Tset_size(mem, size), what);
    std::vector<char> buf(size * count);
    check(read(mem.get(), static_cast<void*>(buf.data())), what);
    for (std::size_t i = 0; i < count; ++i) {
      const char* p = buf.data() + i * size;
      out.emplace_back(p, std::find(p, p + size, '\0'));
    }
  }
  return out;
}

std::size_t element_count(hid_t space) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) throw Error("dataspace: HDF5 call failed");
  return static_cast<std::size_t>(n);
}
}  // namespace

std::string read_attr_string(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute " + name);
  Handle type(H5Aget_type(attr), H5Tclose, "attribute " + name);
  Handle space(H5Aget_space(attr), H5Sclose, "attribute " + name);
  check_bytes("attribute", name, element_count(space), H5Tget_size(type), H5Aget_storage_size(attr),
              unfiltered_expansion(H5Tget_size(type), H5Tget_size(type)));
  const auto values = read_string_values(
      type, element_count(space), [&](hid_t mem, void* buf) { return H5Aread(attr, mem, buf); }, "attribute " + name);
  return values.empty() ? std::string() : values.front();
}

std::vector<std::int64_t> read_attr_ints(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute " + name);
  Handle type(H5Aget_type(attr), H5Tclose, "attribute " + name);
  if (H5Tget_class(type) != H5T_INTEGER) throw Error("attribute " + name + " is not an integer");
  Handle space(H5Aget_space(attr), H5Sclose, "attribute " + name);
  check_bytes("attribute", name, element_count(space), sizeof(std::int64_t), H5Aget_storage_size(attr),
              unfiltered_expansion(sizeof(std::int64_t), H5Tget_size(type)));
  std::vector<std::int64_t> values(element_count(space));
  if (!values.empty()) check(H5Aread(attr, H5T_NATIVE_INT64, values.data()), "attribute " + name);
  return values;
}

std::int64_t read_attr_int(hid_t obj, const std::string& name) {
  const auto values = read_attr_ints(obj, name);
  if (values.size() != 1) throw Error("attribute " + name + " is not a single integer");
  return values.front();
}

std::uint64_t read_attr_u64(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute " + name);
  Handle type(H5Aget_type(attr), H5Tclose, "attribute " + name);
  if (H5Tget_class(type) != H5T_INTEGER) throw Error("attribute " + name + " is not an integer");
  Handle space(H5Aget_space(attr), H5Sclose, "attribute " + name);
  if (element_count(space) != 1) throw Error("attribute " + name + " is not a single integer");
  std::uint64_t value = 0;
  check(H5Aread(attr, H5T_NATIVE_UINT64, &value), "attribute " + name);
  return value;
}

namespace detail {
// Chunk shape: the whole dataset when small, otherwise the largest dimension halved until a chunk
// is at most ~256 KiB, a size that compresses well and is read cheaply one chunk at a time.
std::vector<hsize_t> chunk_dims(const std::vector<hsize_t>& dims, std::size_t element_size) {
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

Handle chunked_dataset(hid_t parent, const std::string& name, hid_t file_type, const std::vector<hsize_t>& dims,
                       std::size_t element_size) {
  std::vector<hsize_t> maxdims = dims;
  if (!maxdims.empty()) maxdims[0] = H5S_UNLIMITED;
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxdims.data()), H5Sclose,
               "dataspace of " + name);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties of " + name);
  const auto chunk = chunk_dims(dims, element_size);
  check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunking of " + name);
  if (deflate_level() > 0) {
    check(H5Pset_shuffle(dcpl), "shuffle filter of " + name);
    check(H5Pset_deflate(dcpl, static_cast<unsigned>(deflate_level())), "deflate filter of " + name);
  }
  return Handle(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
                "create dataset " + name);
}

Handle open_dataset(hid_t parent, const std::string& name) {
  return Handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
}

std::vector<hsize_t> dataset_dims(hid_t dset, const std::string& name) {
  Handle space(H5Dget_space(dset), H5Sclose, "dataspace of " + name);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) throw Error("dataspace of " + name + ": HDF5 call failed");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), "dataspace of " + name);
  return dims;
}
}  // namespace detail

using detail::chunked_dataset;
using detail::dataset_dims;
using detail::open_dataset;

void write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const double* data) {
  Handle d = chunked_dataset(parent, name, H5T_IEEE_F64LE, dims, sizeof(double));
  hsize_t n = 1;
  for (hsize_t x : dims) n *= x;
  if (n > 0) check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name);
}

void write_ints(hid_t parent, const std::string& name, const std::vector<std::int32_t>& data) {
  Handle d = chunked_dataset(parent, name, H5T_STD_I32LE, {data.size()}, sizeof(std::int32_t));
  if (!data.empty()) check(H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
}

std::vector<hsize_t> shape(hid_t parent, const std::string& name) {
  Handle d = open_dataset(parent, name);
  return dataset_dims(d, name);
}

std::vector<double> read_doubles(hid_t parent, const std::string& name, std::vector<hsize_t>& dims) {
  Handle d = open_dataset(parent, name);
  Handle type(H5Dget_type(d), H5Tclose, "type of " + name);
  const H5T_class_t cls = H5Tget_class(type);
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) throw Error("dataset " + name + " is not numeric");
  dims = dataset_dims(d, name);
  hsize_t n = 1;
  for (hsize_t x : dims)
    if (__builtin_mul_overflow(n, x, &n)) throw Error("dataset " + name + " declares more values than any memory holds");
  check_read_size(d, name, n, sizeof(double));
  std::vector<double> values(static_cast<std::size_t>(n));
  if (n > 0) check(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + name);
  return values;
}

std::vector<std::int32_t> read_ints(hid_t parent, const std::string& name) {
  Handle d = open_dataset(parent, name);
  Handle type(H5Dget_type(d), H5Tclose, "type of " + name);
  if (H5Tget_class(type) != H5T_INTEGER) throw Error("dataset " + name + " is not an integer dataset");
  const auto dims = dataset_dims(d, name);
  if (dims.size() != 1) throw Error("dataset " + name + " is not one-dimensional");
  check_read_size(d, name, dims[0], sizeof(std::int32_t));
  std::vector<std::int32_t> values(dims[0]);
  if (!values.empty()) check(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + name);
  return values;
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  Handle d = chunked_dataset(parent, name, type, {values.size()}, sizeof(char*));
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!ptrs.empty()) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write " + name);
}

void write_scalar_string(hid_t parent, const std::string& name, const std::string& value) {
  Handle type = utf8_string_type();
  Handle space = scalar_space();
  Handle d(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
           "create dataset " + name);
  const char* text = value.c_str();
  check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "write " + name);
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  Handle d = open_dataset(parent, name);
  Handle type(H5Dget_type(d), H5Tclose, "type of " + name);
  Handle space(H5Dget_space(d), H5Sclose, "dataspace of " + name);
  const std::size_t count = element_count(space);
  check_read_size(d, name, count, std::max<std::size_t>(H5Tget_size(type), sizeof(char*)));
  if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
    Handle memory = utf8_string_type();
    check_variable_length_size(d, memory, name);
  }
  return read_string_values(
      type, count,
      [&](hid_t mem, void* buf) { return H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); }, "dataset " + name);
}

std::string read_scalar_string(hid_t parent, const std::string& name) {
  const auto values = read_strings(parent, name);
  return values.empty() ? std::string() : values.front();
}

}  // namespace clusternet::io::h5
