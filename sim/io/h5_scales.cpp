#include "io/h5_scales.hpp"

#include <hdf5_hl.h>

#include "io/h5_util.hpp"

namespace clusternet::io::h5 {

void make_scale(hid_t dset, const std::string& name) {
  check(H5DSset_scale(dset, name.c_str()), "dimension scale " + name);
}

void attach_scales(hid_t parent, const std::string& name, const std::vector<std::string>& scale_paths) {
  Handle dset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  Handle file(H5Iget_file_id(dset), H5Fclose, "file of " + name);
  for (std::size_t dim = 0; dim < scale_paths.size(); ++dim) {
    Handle scale(H5Dopen2(file, scale_paths[dim].c_str(), H5P_DEFAULT), H5Dclose,
                 "open dimension scale " + scale_paths[dim]);
    check(H5DSattach_scale(dset, scale, static_cast<unsigned>(dim)),
          "attach dimension scale " + scale_paths[dim] + " to " + name);
  }
}

}  // namespace clusternet::io::h5
