package org.varpart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** Failures from the user's world become one paragraph with what to do, and an exit code; never a stack trace. */
class FailureTest {

    @Test
    void aMissingFileSystemConnectorNamesTheSchemeAndItsPackage() {
        Configuration conf = new Configuration();
        String[][] cases = {{"s3://bucket/results", "s3", "org.apache.hadoop:hadoop-aws"}, {"gs://bucket/results", "gs", "gcs-connector"},
            {"abfss://study@account.dfs.core.windows.net/results", "abfss", "org.apache.hadoop:hadoop-azure"}};
        for (String[] c : cases) {
            // the exception Hadoop really throws for a scheme whose connector is not on the test classpath
            Throwable e = assertThrows(Throwable.class, () -> new Path(c[0]).getFileSystem(conf), c[0]);
            assertNamesConnector(e, c[1], c[2]);
        }
        // hadoop-aws is on the test classpath (the object-store test uses it): this is the exception
        // Hadoop 3.3 throws without it, as it throws for s3:// above
        assertNamesConnector(new org.apache.hadoop.fs.UnsupportedFileSystemException("No FileSystem for scheme \"s3a\""), "s3a",
                "org.apache.hadoop:hadoop-aws");
    }

    private static void assertNamesConnector(Throwable e, String scheme, String pkg) {
        Failure.Explained x = Failure.explain(e);
        assertEquals(Failure.INPUT, x.code(), scheme + ": " + e);
        assertTrue(x.message().contains("the file-system connector for " + scheme + ":// is not on the classpath"), x.message());
        assertTrue(x.message().contains(pkg), x.message());
        assertFalse(x.message().contains("\n"), "one paragraph");
    }

    @Test
    void aFullDiskSaysWhatIsKeptAndHowToContinue() {
        String trace = "Job aborted due to stage failure: Task 3 in stage 7.0 failed 1 times, most recent failure: Lost task 3.0 in stage 7.0"
                + " (TID 31) (driver): org.apache.hadoop.fs.FSError: java.io.IOException: No space left on device\n"
                + "\tat org.apache.hadoop.fs.RawLocalFileSystem$LocalFSFileOutputStream.write(RawLocalFileSystem.java:261)\n"
                + "\tat java.base/java.io.BufferedOutputStream.flushBuffer(BufferedOutputStream.java:81)\n";
        Throwable fitting = new org.apache.spark.SparkException(trace, new IOException("No space left on device"));
        Throwable writing = new IllegalStateException("writing the results failed: No space left on device; the features fitted so far are kept",
                new IOException("No space left on device"));
        for (Throwable e : new Throwable[] {fitting, writing, new org.apache.spark.SparkException(trace)}) {
            Failure.Explained x = Failure.explain(e);
            assertEquals(Failure.ENVIRONMENT, x.code());
            assertTrue(x.message().startsWith("a disk is full (No space left on device)"), x.message());
            assertTrue(x.message().contains("rerun with --resume"), x.message());
            assertFalse(x.message().contains("\tat "), "no stack trace: " + x.message());
        }
    }

    @Test
    void aStackOverflowAndUnexpectedErrorsAreOneLine() {
        assertEquals(Failure.INPUT, Failure.explain(new StackOverflowError()).code());
        Failure.Explained x = Failure.explain(new IllegalStateException("first line\n\tat a.b.C.d(C.java:1)\n\tat e.f.G.h(G.java:2)",
                new ArithmeticException("root cause\nmore")));
        assertEquals(Failure.UNEXPECTED, x.code());
        assertEquals("java.lang.IllegalStateException: first line; caused by java.lang.ArithmeticException: root cause (the details are in Spark's log)",
                x.message());
        assertNotNull(Failure.firstLine(null));
    }
}
