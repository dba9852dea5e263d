package org.varpart.lmm;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Dense kernels on column-major matrices stored in {@code double[]} (leading dimension = rows).
 * Thin, named wrappers over netlib BLAS/LAPACK; each says which argument it overwrites.
 */
final class Dense {
    private static final BLAS BLAS_ = BLAS.getInstance();
    private static final LAPACK LAPACK_ = LAPACK.getInstance();

    private Dense() {}

    /** C (m × n) ← C − A Bᵀ, with A m × k and B n × k. Overwrites C. */
    static void subtractABt(int m, int n, int k, double[] a, double[] b, double[] c) {
        if (m == 0 || n == 0 || k == 0) return;
        BLAS_.dgemm("N", "T", m, n, k, -1.0, a, m, b, n, 1.0, c, m);
    }

    /** Lower triangle of C (n × n) ← C − A Aᵀ, with A n × k. Overwrites C's lower triangle. */
    static void rankUpdateLower(int n, int k, double[] a, double[] c) {
        if (n == 0 || k == 0) return;
        BLAS_.dsyrk("L", "N", n, k, -1.0, a, n, 1.0, c, n);
    }

    /** B (m × n) ← B L⁻ᵀ with L n × n lower triangular. Overwrites B. */
    static void rdivLowerTransposed(int m, int n, double[] l, double[] b) {
        if (m == 0 || n == 0) return;
        BLAS_.dtrsm("R", "L", "T", "N", m, n, 1.0, l, n, b, m);
    }

    /**
     * Cholesky factor in place: the lower triangle of A (n × n) becomes L with A = L Lᵀ.
     *
     * @return 0 on success, else the 1-based order of the leading minor that is not positive definite
     */
    static int cholLower(int n, double[] a) {
        if (n == 0) return 0;
        intW info = new intW(0);
        LAPACK_.dpotrf("L", n, a, n, info);
        return info.val;
    }

    /**
     * Cholesky of the c × c block of {@code a} starting at {@code off} (lower triangle, column
     * major), in place, right-looking: each column is scaled and then subtracted from the columns
     * to its right, so the inner loops run over contiguous memory. For the small dense blocks of
     * the per-θ evaluation, where a call into BLAS costs more than the arithmetic.
     *
     * @return false if the block is not positive definite
     */
    static boolean cholSmall(int c, double[] a, int off) {
        int j = 0;
        // two columns at a time: factor j and j+1, then one rank-2 update of the rest
        for (; j + 1 < c; j += 2) {
            int c0 = off + j * c, c1 = c0 + c;
            double d0 = a[c0 + j];
            if (!(d0 > 0)) return false;
            d0 = Math.sqrt(d0);
            a[c0 + j] = d0;
            double inv0 = 1.0 / d0;
            for (int i = j + 1; i < c; i++) a[c0 + i] *= inv0;
            double l10 = a[c0 + j + 1];
            for (int i = j + 1; i < c; i++) a[c1 + i] -= a[c0 + i] * l10;
            double d1 = a[c1 + j + 1];
            if (!(d1 > 0)) return false;
            d1 = Math.sqrt(d1);
            a[c1 + j + 1] = d1;
            double inv1 = 1.0 / d1;
            for (int i = j + 2; i < c; i++) a[c1 + i] *= inv1;
            for (int k = j + 2; k < c; k++) {
                double u = a[c0 + k], v = a[c1 + k];
                int ck = off + k * c;
                for (int i = k; i < c; i++) a[ck + i] -= a[c0 + i] * u + a[c1 + i] * v;
            }
        }
        if (j < c) { // the last column when c is odd
            int cj = off + j * c;
            double d = a[cj + j];
            if (!(d > 0)) return false;
            a[cj + j] = Math.sqrt(d);
        }
        return true;
    }

    /** Solves Lᵀ x = b in place for lower-triangular L (n × n, column-major at offset {@code off}). */
    static void solveLowerTransposed(int n, double[] l, int off, int ld, double[] b, int boff) {
        for (int i = n - 1; i >= 0; i--) {
            double s = b[boff + i];
            for (int k = i + 1; k < n; k++) s -= l[off + i * ld + k] * b[boff + k];
            b[boff + i] = s / l[off + i * ld + i];
        }
    }

    /**
     * Solves L x = b in place for lower-triangular L (n × n, leading dimension n) when b's first
     * {@code from} entries are zero (so are x's): b = x[boff … boff+n−1].
     */
    static void solveLowerFrom(int n, double[] l, double[] b, int boff, int from) {
        for (int i = from; i < n; i++) {
            double s = b[boff + i];
            for (int k = from; k < i; k++) s -= l[k * n + i] * b[boff + k];
            b[boff + i] = s / l[i * n + i];
        }
    }

    /** Solves L x = b in place for lower-triangular L. */
    static void solveLower(int n, double[] l, int off, int ld, double[] b, int boff) {
        for (int i = 0; i < n; i++) {
            double s = b[boff + i];
            for (int k = 0; k < i; k++) s -= l[off + k * ld + i] * b[boff + k];
            b[boff + i] = s / l[off + i * ld + i];
        }
    }
}
