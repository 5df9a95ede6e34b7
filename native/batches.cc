// Mini-batch column gather: numpy's X[:, idx] over a row-major matrix.
#include "kernels.h"

namespace blasnet {

template <typename T>
void gather_columns(T* out, const T* X, const int* idx, int rows, int cols, int count) {
  // X is (rows, cols); out is (rows, count). Row by row, so X is read one row at a time.
  for (int i = 0; i < rows; ++i) {
    const T* row = X + static_cast<size_t>(i) * cols;
    T* dst = out + static_cast<size_t>(i) * count;
    for (int j = 0; j < count; ++j) dst[j] = row[idx[j]];
  }
}

template void gather_columns<double>(double*, const double*, const int*, int, int, int);
template void gather_columns<float>(float*, const float*, const int*, int, int, int);

}  // namespace blasnet
