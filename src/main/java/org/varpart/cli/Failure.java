package org.varpart.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failure that comes from the user's world rather than from varpart (a full disk, a
 * missing file-system connector, a formula too deep to handle) into one paragraph and an exit
 * code, instead of a stack trace. Exit codes: 2 for what the user can fix before running (input,
 * settings, classpath); 3 for the environment failing during a run (its committed work is kept,
 * {@code --resume} continues it); 1 for anything else, shown by its first lines only.
 */
final class Failure {
    static final int INPUT = 2, ENVIRONMENT = 3, UNEXPECTED = 1;

    /** A message and the exit code that goes with it. */
    record Explained(String message, int code) {}

    /** The Hadoop connector (and how to get it) of each URI scheme that needs one outside Hadoop's core. */
    private static final Map<String, String> CONNECTORS = Map.of(
            "s3a", "Hadoop's S3A connector, the package org.apache.hadoop:hadoop-aws of Spark's Hadoop version (with its AWS SDK bundle),"
                    + " e.g. spark-submit --packages org.apache.hadoop:hadoop-aws:3.3.4; EMR and Databricks have it",
            "gs", "the Cloud Storage connector, com.google.cloud.bigdataoss:gcs-connector (hadoop3); Dataproc has it",
            "abfs", "Hadoop's Azure connector, org.apache.hadoop:hadoop-azure of Spark's Hadoop version; Databricks and HDInsight have it",
            "abfss", "Hadoop's Azure connector, org.apache.hadoop:hadoop-azure of Spark's Hadoop version; Databricks and HDInsight have it",
            "wasb", "Hadoop's Azure connector, org.apache.hadoop:hadoop-azure of Spark's Hadoop version",
            "wasbs", "Hadoop's Azure connector, org.apache.hadoop:hadoop-azure of Spark's Hadoop version",
            "s3", "a connector for s3:// (EMR's own); elsewhere write s3a:// and add org.apache.hadoop:hadoop-aws",
            "s3n", "nothing any more: s3n:// is gone from Hadoop 3; write s3a:// and add org.apache.hadoop:hadoop-aws");
    private static final Map<String, String> CLASS_SCHEME = Map.of(
            "S3AFileSystem", "s3a", "GoogleHadoopFileSystem", "gs", "AzureBlobFileSystem", "abfs", "SecureAzureBlobFileSystem", "abfss",
            "NativeAzureFileSystem", "wasb");
    private static final Pattern NO_SCHEME = Pattern.compile("No FileSystem for scheme \"?([A-Za-z0-9+.-]+)\"?");

    private Failure() {}

    /** What to tell the user about {@code e}: a known problem of the user's world, or its first lines. */
    static Explained explain(Throwable e) {
        Explained known = known(e);
        if (known != null) return known;
        List<Throwable> chain = chain(e);
        Throwable root = chain.get(chain.size() - 1);
        String message = firstLine(e.toString());
        if (root != e) message += "; caused by " + firstLine(root.toString());
        return new Explained(message + " (the details are in Spark's log)", UNEXPECTED);
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) chain.add(t);
        return chain;
    }

    /** The explanation of a known problem of the user's world (a full disk, a missing connector, a stack overflow), or null. */
    static Explained known(Throwable e) {
        List<Throwable> chain = chain(e);
        for (Throwable t : chain) {
            if (t instanceof StackOverflowError) {
                return new Explained("the input is nested too deeply to be handled (a formula or an expression with thousands of"
                        + " levels of operators?); simplify it.", INPUT);
            }
        }
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage());
            Matcher nm = NO_SCHEME.matcher(m);
            String scheme = nm.find() ? nm.group(1).toLowerCase(Locale.ROOT) : null;
            if (scheme == null && (t instanceof ClassNotFoundException || m.contains("ClassNotFoundException"))) {
                // the class's simple name after its package's dot, so that SecureAzureBlobFileSystem is not
                // also read as AzureBlobFileSystem (Map.of iterates in no fixed order)
                for (Map.Entry<String, String> c : CLASS_SCHEME.entrySet()) if (m.contains("." + c.getKey())) scheme = c.getValue();
            }
            if (scheme != null) {
                String what = CONNECTORS.getOrDefault(scheme, "the Hadoop file-system connector for " + scheme + "://");
                return new Explained("a path is on " + scheme + "://, but the file-system connector for " + scheme
                        + ":// is not on the classpath. It needs " + what + ". Nothing was written.", INPUT);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("URI contains login details")) {
                // S3A (hadoop-aws 3.3) refuses s3a://KEY:SECRET@bucket/... outright
                return new Explained("a path carries credentials in its URI (s3a://KEY:SECRET@bucket/...), which Hadoop's S3A connector"
                        + " refuses: write the path without them and give the keys as spark.hadoop.fs.s3a.access.key and"
                        + " spark.hadoop.fs.s3a.secret.key (or use the cluster's own credentials). Nothing was written.", INPUT);
            }
        }
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage());
            String cls = t.getClass().getName();
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded") || cls.endsWith("DiskErrorException")
                    || cls.equals("org.apache.hadoop.fs.FSError") && m.contains("space")) {
                String why = m.contains("No space left on device") ? "No space left on device"
                        : m.contains("Disk quota exceeded") ? "Disk quota exceeded" : firstLine(m);
                return new Explained("a disk is full (" + why + "): the output location, the work directory beside it, or Spark's"
                        + " scratch space (spark.local.dir, the system temporary directory by default). The features fitted so far are kept in the work directory"
                        + " beside the output; free some space (or set spark.local.dir to a larger disk) and rerun with --resume to"
                        + " continue from them.", ENVIRONMENT);
            }
        }
        return null;
    }

    /** The first line of a message (Spark's exceptions carry a whole stack trace in theirs). */
    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 500 ? line.substring(0, 497) + "..." : line;
    }
}
