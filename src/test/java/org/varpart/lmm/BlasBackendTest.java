package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Says which BLAS/LAPACK the engine's tests run on. When the build is told which to expect
 * ({@code -Dvarpart.blas.expect=native} or {@code =java}, as .ci/run does for its two runs), it
 * checks that the JVM got it, so a run meant for one backend cannot silently use the other.
 */
class BlasBackendTest {

    @Test
    void backendIsTheOneExpected() {
        String described = BlasBackend.describe();
        System.out.println("varpart engine tests run on: " + described);
        String expect = System.getProperty("varpart.blas.expect", "");
        if (expect.isEmpty()) return;
        assertEquals(expect.equals("native"), BlasBackend.isNative(), "expected " + expect + ", got " + described);
    }
}
