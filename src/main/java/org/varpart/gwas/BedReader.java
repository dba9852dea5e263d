package org.varpart.gwas;

import java.io.EOFException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * Streams the genotypes of a range of SNPs out of a SNP-major {@code .bed}, one SNP at a time,
 * reading only that range's bytes. A genotype is the count of allele 1 (the {@code .bim}'s
 * column 5): code 00 → 2, 10 → 1, 11 → 0, 01 → missing (NaN), PLINK's layout and GEMMA's count.
 */
public final class BedReader implements AutoCloseable {
    private static final double[] CODE = {2.0, Double.NaN, 1.0, 0.0};

    private final FSDataInputStream in;
    private final byte[] buffer;
    private final int[] samples;

    /**
     * @param samples the {@code .fam} rows to return, in the order wanted
     * @param first the first SNP to read (0-based, in {@code .bim} order)
     */
    public BedReader(Configuration conf, PlinkFileset set, int[] samples, long first) throws IOException {
        Path p = new Path(set.bed());
        this.in = p.getFileSystem(conf).open(p, 1 << 20);
        this.buffer = new byte[set.bytesPerSnp()];
        this.samples = samples.clone();
        in.seek(3L + first * set.bytesPerSnp());
    }

    /** Reads the next SNP's genotypes into {@code out} (length = the number of samples asked for). */
    public void next(double[] out) throws IOException {
        try {
            in.readFully(buffer);
        } catch (EOFException e) {
            throw new IOException("the .bed ended early", e);
        }
        decode(buffer, samples, out);
    }

    /** Genotype counts of the given {@code .fam} rows from one SNP's bytes. */
    static void decode(byte[] snp, int[] samples, double[] out) {
        for (int k = 0; k < samples.length; k++) {
            int j = samples[k];
            out[k] = CODE[(snp[j >>> 2] >>> ((j & 3) << 1)) & 3];
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
