package org.varpart.gwas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GRM summed by tiles equals Σ x̃x̃ᵀ / m computed directly, for a sample count that spans two
 * tiles (2,100 = 2,048 + 52) and SNPs that arrive in two blocks, as two tasks would add them.
 */
class GrmTilesTest {
    @Test
    void tiledSumEqualsTheDirectProduct() {
        int n = Grm.TILE + 52, m = 7;
        Random r = new Random(3);
        double[] x = new double[n * m];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(3) - 1.0;
        int t = Grm.tiles(n);
        assertEquals(2, t);
        Map<Long, double[]> tiles = new HashMap<>();
        for (int ti = 0; ti < t; ti++) {
            for (int tj = ti; tj < t; tj++) {
                tiles.put(Grm.key(ti, tj), new double[(Grm.tileEnd(ti, n) - Grm.tileStart(ti)) * (Grm.tileEnd(tj, n) - Grm.tileStart(tj))]);
            }
        }
        int[][] blocks = {{0, 3}, {3, 7}};
        for (int[] blk : blocks) {
            int b = blk[1] - blk[0];
            double[] xb = java.util.Arrays.copyOfRange(x, blk[0] * n, blk[1] * n);
            for (int ti = 0; ti < t; ti++) {
                for (int tj = ti; tj < t; tj++) {
                    Grm.accumulate(Grm.tileRows(xb, n, b, ti), Grm.tileEnd(ti, n) - Grm.tileStart(ti), Grm.tileRows(xb, n, b, tj),
                            Grm.tileEnd(tj, n) - Grm.tileStart(tj), b, ti == tj, tiles.get(Grm.key(ti, tj)));
                }
            }
        }
        double[] k = Grm.assemble(n, tiles, m);
        for (int i = 0; i < n; i += 37) {
            for (int j = 0; j < n; j += 13) {
                double s = 0;
                for (int l = 0; l < m; l++) s += x[l * n + i] * x[l * n + j];
                assertEquals(s / m, k[j * n + i], 1e-12, i + "," + j);
            }
        }
    }
}
