#pragma once
// Internal to sim/io: HDF5 dimension scales (the H5DS API of HDF5's high-level library), so that
// xarray (engine="h5netcdf"), netCDF tools and R see named dimensions (point, replicate, month,
// region) without custom code. A scale is a one-dimensional dataset of coordinate values marked as
// a scale with a name; attaching it to dimension d of a dataset records the link in both.
//
// netCDF readers (h5netcdf among them) look a dimension up in the dataset's own group and its
// ancestors, so the scales of a file live at its root. A dataset gets a scale on every dimension
// or on none: h5netcdf refuses a dataset with some dimensions named and others not.
#include <hdf5.h>

#include <string>
#include <vector>

namespace clusternet::io::h5 {

// Marks the one-dimensional dataset `dset` as the dimension scale `name`. Throws Error.
void make_scale(hid_t dset, const std::string& name);
// Attaches the scales at `scale_paths` (from the file's root, e.g. "/month"), in dimension order,
// to the dataset `name` of `parent`. Throws Error.
void attach_scales(hid_t parent, const std::string& name, const std::vector<std::string>& scale_paths);

}  // namespace clusternet::io::h5
