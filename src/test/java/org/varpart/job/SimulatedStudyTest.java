package org.varpart.job;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.varpart.simulate.StudySimulator;

/**
 * The set-up shared by test classes that run the job on one simulated study: the shared Spark
 * session, a temporary directory of the class's own, and the study that {@link #simulate} writes
 * into it (called from the class's {@code @BeforeAll}). The build runs test classes one after
 * another, so these static fields belong to the class that is running.
 */
abstract class SimulatedStudyTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path study;

    /** Takes the shared Spark session and writes the study of {@code spec} into {@code dir}/study. */
    static void simulate(StudySimulator.Spec spec) throws IOException {
        spark = SparkTestSession.get();
        study = StudyRuns.study(dir, spec);
    }
}
