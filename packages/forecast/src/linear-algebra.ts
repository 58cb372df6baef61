/**
 * Solves `A x = b` for a symmetric positive-definite `A` (row-major, n x n) by Cholesky
 * factorisation. A tiny ridge is added when a pivot is not positive, so the solve never fails on
 * collinear features (the caller already regularises; this is a numerical safety net).
 */
export function solveSymmetric(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (lower[i * n + k] ?? 0) * (lower[j * n + k] ?? 0);
      if (i === j) {
        lower[i * n + i] = Math.sqrt(sum > 1e-10 ? sum : 1e-10);
      } else {
        lower[i * n + j] = sum / (lower[j * n + j] ?? 1);
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (lower[i * n + k] ?? 0) * (y[k] ?? 0);
    y[i] = sum / (lower[i * n + i] ?? 1);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (lower[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (lower[i * n + i] ?? 1);
  }
  return x;
}
