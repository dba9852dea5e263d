package org.varpart.lmm;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;

/**
 * Which BLAS and LAPACK implementation the engine runs on. dev.ludovic.netlib 3.0.3 first tries
 * its JNI wrapper, which loads the system's {@code libblas.so.3} / {@code liblapack.so.3} (or the
 * library named by {@code -Ddev.ludovic.netlib.blas.nativeLib}, or the file given by
 * {@code -Ddev.ludovic.netlib.blas.nativeLibPath}; the {@code lapack} properties likewise); when
 * that fails it falls back to its pure-Java implementation. Pointing {@code nativeLibPath} at a
 * file that does not exist therefore forces the pure-Java code.
 */
public final class BlasBackend {
    private BlasBackend() {}

    /** Whether both BLAS and LAPACK are native libraries. */
    public static boolean isNative() {
        return BLAS.getInstance() instanceof NativeBLAS && LAPACK.getInstance() instanceof NativeLAPACK;
    }

    /** One line: the implementation classes and whether they are native. */
    public static String describe() {
        BLAS b = BLAS.getInstance();
        LAPACK l = LAPACK.getInstance();
        return "BLAS " + b.getClass().getSimpleName() + (b instanceof NativeBLAS ? " (native)" : " (pure Java)")
                + ", LAPACK " + l.getClass().getSimpleName() + (l instanceof NativeLAPACK ? " (native)" : " (pure Java)");
    }
}
