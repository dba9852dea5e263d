package org.varpart.gwas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.varpart.InputException;

/**
 * A PLINK 1 binary fileset {@code PREFIX.bed/.bim/.fam}, checked whole before any work: the
 * {@code .bed} starts with PLINK's magic bytes {@code 0x6c 0x1b} and the SNP-major mode byte
 * {@code 0x01}, its size is {@code 3 + m·⌈n/4⌉} for the m SNPs of the {@code .bim} and the n
 * samples of the {@code .fam}, SNP IDs and sample IIDs are unique. Every problem is an
 * {@link InputException} naming the file, the line (or byte offset) and the value.
 *
 * <p>Genotypes stay on disk: tasks read the byte ranges of their SNPs (see {@link BedReader}).
 */
public final class PlinkFileset implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** One {@code .bim} line: allele 1 (column 5) is the counted allele, as GEMMA counts it. */
    public record Snp(String chr, String id, long pos, String allele1, String allele0) implements java.io.Serializable {}

    public final String prefix;
    /** The {@code .fam} IIDs (column 2), in file order. */
    public final List<String> iids;
    public final List<Snp> snps;

    private PlinkFileset(String prefix, List<String> iids, List<Snp> snps) {
        this.prefix = prefix;
        this.iids = List.copyOf(iids);
        this.snps = List.copyOf(snps);
    }

    public String bed() {
        return prefix + ".bed";
    }

    /** Bytes per SNP in the {@code .bed}: four genotypes per byte. */
    public int bytesPerSnp() {
        return (iids.size() + 3) / 4;
    }

    /** Reads the {@code .bim} and {@code .fam} and checks the {@code .bed}'s header and size. */
    public static PlinkFileset open(Configuration conf, String prefix) {
        List<String> iids = readFam(conf, prefix + ".fam");
        List<Snp> snps = readBim(conf, prefix + ".bim");
        checkBed(conf, prefix + ".bed", iids.size(), snps.size());
        return new PlinkFileset(prefix, iids, snps);
    }

    static List<String> readFam(Configuration conf, String file) {
        return readLines(conf, file, ".fam", "FID IID father mother sex phenotype", "IID", "sample", "samples", (f, line) -> f[1]);
    }

    static List<Snp> readBim(Configuration conf, String file) {
        return readLines(conf, file, ".bim", "chr id cM position allele1 allele0", "SNP ID", "SNP", "SNPs", (f, line) -> {
            long pos;
            try {
                pos = Long.parseLong(f[3]);
            } catch (NumberFormatException e) {
                throw new InputException(file + " line " + line + ", column 4 (position): not a whole number: '" + f[3] + "'.");
            }
            return new Snp(f[0], f[1], pos, f[4], f[5]);
        });
    }

    /** Reads one line's fields (at least six) into a record; {@code line} counts from 1, for messages. */
    private interface LineParser<T> {
        T parse(String[] fields, int line);
    }

    /**
     * Reads a PLINK text file of whitespace-separated lines of six columns or more, blank lines
     * skipped, whose column 2 is an ID that must not repeat: the {@code .fam} (IID) or the
     * {@code .bim} (SNP ID). A file with no line is refused.
     *
     * @param columns the six columns' names, for the message about a short line
     * @param idName the ID column's name, {@code noun} and {@code plural} what a line describes, for messages
     */
    private static <T> List<T> readLines(Configuration conf, String file, String kind, String columns, String idName, String noun,
                                         String plural, LineParser<T> parser) {
        List<T> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int line = 0;
        try (BufferedReader r = reader(conf, file)) {
            String s;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) continue;
                String[] f = s.trim().split("\\s+");
                if (f.length < 6) {
                    throw new InputException(file + " line " + line + ": a " + kind + " line has 6 columns (" + columns + "); found "
                            + f.length + ": '" + s.strip() + "'.");
                }
                T value = parser.parse(f, line);
                Integer prev = seen.put(f[1], line);
                if (prev != null) {
                    throw new InputException(file + " line " + line + ", column 2 (" + idName + "): the " + noun + " '" + f[1]
                            + "' appears twice (first on line " + prev + ").");
                }
                out.add(value);
            }
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new InputException(file + ": no " + plural + ".");
        return out;
    }

    static void checkBed(Configuration conf, String file, int samples, int snps) {
        try {
            Path p = new Path(file);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new InputException("The genotype file " + file + " does not exist.");
            long size = fs.getFileStatus(p).getLen();
            byte[] head = new byte[3];
            int got = 0;
            try (InputStream in = fs.open(p)) {
                while (got < 3) {
                    int k = in.read(head, got, 3 - got);
                    if (k < 0) break;
                    got += k;
                }
            }
            if (got < 3 || head[0] != 0x6c || head[1] != 0x1b) {
                throw new InputException(file + " byte 0: not a PLINK 1 .bed file (the first two bytes are "
                        + hex(head, Math.min(got, 2)) + ", PLINK's magic bytes are 0x6c 0x1b).");
            }
            if (head[2] != 0x01) {
                throw new InputException(file + " byte 2: the mode byte is " + hex(new byte[] {head[2]}, 1)
                        + (head[2] == 0 ? " (individual-major, an old PLINK layout)" : "")
                        + "; only SNP-major .bed files (mode 0x01) are read: convert with plink --bfile PREFIX --make-bed.");
            }
            long expected = 3L + (long) snps * ((samples + 3) / 4);
            if (size != expected) {
                throw new InputException(file + ": the file has " + size + " bytes, but " + snps + " SNPs (.bim) x " + samples
                        + " samples (.fam) need " + expected + " (3 + " + snps + " x " + ((samples + 3) / 4)
                        + "); the .bed, .bim and .fam do not belong together.");
            }
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String hex(byte[] b, int k) {
        if (k == 0) return "(none)";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k; i++) sb.append(i == 0 ? "" : " ").append(String.format("0x%02x", b[i] & 0xff));
        return sb.toString();
    }

    private static BufferedReader reader(Configuration conf, String file) throws IOException {
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) throw new InputException("The file " + file + " does not exist.");
        return new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8), 1 << 16);
    }
}
