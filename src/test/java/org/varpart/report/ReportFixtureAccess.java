package org.varpart.report;

import java.io.IOException;
import java.nio.file.Path;

/** The report tests' shared run, for tests in other packages. */
public final class ReportFixtureAccess {
    private ReportFixtureAccess() {}

    /** The output directory of the shared run (made on first use). */
    public static Path output() throws IOException {
        return ReportFixture.output();
    }
}
