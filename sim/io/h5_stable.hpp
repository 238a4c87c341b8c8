#pragma once
// Internal to sim/io: HDF5 objects for files that must come out byte for byte the same whenever
// the same values are written (sweep files: an interrupted and resumed sweep, or one run on any
// number of ranks, joins into the same bytes as an uninterrupted one). HDF5 stamps every object
// header with its modification time unless told not to; these helpers tell it not to (object time
// tracking off). Everything else HDF5 writes is a function of the calls made, so the same calls in
// the same order give the same file.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "io/h5_util.hpp"

namespace clusternet::io::h5::stable {

// A group (intermediate groups created as needed), without a time stamp.
Handle group(hid_t parent, const std::string& name);

// A chunked, shuffled and deflated dataset of `type` and shape `dims`, chunked by `chunk` (same rank,
// each >= 1), without a time stamp; doubles are filled with NaN where nothing is written.
Handle dataset(hid_t parent, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
               const std::vector<hsize_t>& chunk);
// `dims` chunked whole when small, else halved along the longest dimension until a chunk is at most
// 256 KiB (as in run files).
std::vector<hsize_t> default_chunk(const std::vector<hsize_t>& dims, std::size_t element_size);

void write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                   const double* data);
void write_ints(hid_t parent, const std::string& name, const std::vector<std::int32_t>& values);
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
void write_scalar_string(hid_t parent, const std::string& name, const std::string& value);
// A compound table, as h5::write_table.
void write_table(hid_t parent, const std::string& name, std::size_t row_size,
                 const std::vector<Field>& fields, std::size_t rows, const void* data);

// Writes `data` (doubles, row-major, shape `count`) into dataset `dset` at `start`.
void write_block(hid_t dset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                 const double* data, const std::string& what);

}  // namespace clusternet::io::h5::stable
