package org.varpart.job;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.varpart.InputException;

/**
 * Decides whether a run may write its output where it is asked to, so that no setting can make
 * varpart delete data it did not write. An output that exists is replaced only with
 * {@code overwrite}, and only when it is recognisably a varpart output (an empty directory, or a
 * directory holding {@code run.json} or {@code _SUCCESS} and nothing but varpart's tables and
 * files, {@code run}'s or {@code gwas}'s); never when it is an input, holds an input, or lies
 * inside one.
 */
public final class OutputGuard {
    /** What a varpart output directory holds. */
    static final Set<String> OWN_ENTRIES = Set.of("fractions", "fits", "fixed_effects", "term_tests", "component_tests", "summary", "collinearity",
            "run.json", "report.html", "_SUCCESS", "mean_variance", "associations", "heritability");

    private OutputGuard() {}

    /**
     * Refuses (with an {@link InputException} naming the conflict) an output that may not be
     * written.
     *
     * @param inputs the paths of every input of the run (sample sheet, assays)
     */
    public static void check(Configuration hadoop, Path out, boolean overwrite, Collection<String> inputs) {
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            URI o = canonical(fs, out);
            for (String in : inputs) {
                Path p = new Path(in);
                URI i = canonical(p.getFileSystem(hadoop), p);
                if (inside(i, o)) {
                    throw new InputException("The output " + out + (i.equals(o) ? " is the input " : " holds the input ") + in
                            + "; varpart never writes over its inputs. Choose an output directory of its own, e.g. " + suggestion(out) + ".");
                }
                if (inside(o, i)) {
                    throw new InputException("The output " + out + " lies inside the input " + in
                            + "; varpart never writes into its inputs. Choose an output directory elsewhere.");
                }
            }
            if (!fs.exists(out)) return;
            FileStatus st = fs.getFileStatus(out);
            if (!st.isDirectory()) {
                throw new InputException("The output " + out + " is a file, not a varpart output; varpart does not replace it, even with"
                        + " --overwrite=true. Choose another output.");
            }
            List<String> foreign = new ArrayList<>();
            boolean marked = false;
            for (FileStatus f : fs.listStatus(out)) {
                String name = f.getPath().getName();
                if (name.equals("run.json") || name.equals("_SUCCESS")) marked = true;
                if (!OWN_ENTRIES.contains(name) && !(name.startsWith(".") && name.endsWith(".crc"))) foreign.add(name);
            }
            boolean empty = foreign.isEmpty() && !marked && fs.listStatus(out).length == 0;
            if (!overwrite) {
                throw new InputException("The output " + out + " exists; choose another output, or pass --overwrite=true to replace it."
                        + (marked && foreign.isEmpty() ? " It is an earlier varpart output, which --overwrite=true replaces with this run's."
                        : !foreign.isEmpty() || marked ? " (--overwrite=true replaces only an earlier varpart output or an empty directory.)" : ""));
            }
            if (empty) return;
            if (!foreign.isEmpty()) {
                throw new InputException("The output " + out + " holds files that varpart did not write (" + firstFew(foreign)
                        + "); --overwrite=true replaces only an earlier varpart output or an empty directory. Choose another output, or move those files away.");
            }
            if (!marked) {
                throw new InputException("The output " + out + " has no run.json or _SUCCESS, so it is not recognisably a varpart output;"
                        + " --overwrite=true replaces only an earlier varpart output or an empty directory. Choose another output.");
            }
        } catch (IOException e) {
            throw new InputException("Cannot reach the output location " + out + ": " + e.getMessage(), e);
        }
    }

    /** The path as a URI with '.' and '..' resolved and, on the local file system, links followed as far as the path exists. */
    static URI canonical(FileSystem fs, Path p) {
        URI u = fs.makeQualified(p).toUri().normalize();
        if (!"file".equals(u.getScheme())) return u;
        java.nio.file.Path local = java.nio.file.Path.of(u.getPath()).toAbsolutePath().normalize();
        java.nio.file.Path existing = local;
        while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return local.toUri();
        try {
            return existing.toRealPath().resolve(existing.relativize(local)).normalize().toUri();
        } catch (IOException e) {
            return local.toUri();
        }
    }

    /** Whether {@code a} is {@code b} or lies under it. */
    static boolean inside(URI a, URI b) {
        if (!java.util.Objects.equals(a.getScheme(), b.getScheme()) || !java.util.Objects.equals(a.getAuthority(), b.getAuthority())) return false;
        String x = strip(a.getPath()), y = strip(b.getPath());
        return x.equals(y) || y.isEmpty() || x.startsWith(y + "/");
    }

    private static String strip(String path) {
        String s = path == null ? "" : path;
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    private static String suggestion(Path out) {
        Path parent = out.getParent();
        return parent == null ? "varpart-output" : new Path(parent, "varpart-output").toString();
    }

    private static String firstFew(List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        java.util.Collections.sort(sorted);
        return String.join(", ", sorted.subList(0, Math.min(5, sorted.size()))) + (sorted.size() > 5 ? " and " + (sorted.size() - 5) + " more" : "");
    }
}
