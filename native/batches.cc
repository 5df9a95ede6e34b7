// Mini-batch gathers: numpy's X[:, idx] over a row-major matrix, or the same examples as rows of X^T.
#include <cstring>

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

template <typename Out, typename In>
void transpose_into(Out* out, const In* in, int rows, int cols) {
  // Square tiles: each tile's reads and writes stay within a few cache lines per row.
  constexpr int kTile = 32;
  for (int i0 = 0; i0 < rows; i0 += kTile) {
    const int i1 = i0 + kTile < rows ? i0 + kTile : rows;
    for (int j0 = 0; j0 < cols; j0 += kTile) {
      const int j1 = j0 + kTile < cols ? j0 + kTile : cols;
      for (int i = i0; i < i1; ++i) {
        for (int j = j0; j < j1; ++j) {
          out[static_cast<size_t>(j) * rows + i] = static_cast<Out>(in[static_cast<size_t>(i) * cols + j]);
        }
      }
    }
  }
}

template <typename T>
void gather_rows(T* out, const T* XT, const int* idx, int cols, int count) {
  const size_t bytes = sizeof(T) * static_cast<size_t>(cols);
  for (int j = 0; j < count; ++j) {
    std::memcpy(out + static_cast<size_t>(j) * cols, XT + static_cast<size_t>(idx[j]) * cols, bytes);
  }
}

template void transpose_into<double, double>(double*, const double*, int, int);
template void transpose_into<float, double>(float*, const double*, int, int);
template void gather_rows<double>(double*, const double*, const int*, int, int);
template void gather_rows<float>(float*, const float*, const int*, int, int);
template void gather_columns<double>(double*, const double*, const int*, int, int, int);
template void gather_columns<float>(float*, const float*, const int*, int, int, int);

}  // namespace blasnet
