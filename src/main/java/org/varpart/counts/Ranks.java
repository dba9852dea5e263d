package org.varpart.counts;

import java.util.Arrays;

/** R's {@code rank} with ties averaged: the 1-based rank of each value, tied values sharing the mean of their ranks. */
final class Ranks {
    private Ranks() {}

    static double[] average(double[] x) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] rank = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && x[order[j + 1]] == x[order[i]]) j++;
            double r = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) rank[order[k]] = r;
            i = j + 1;
        }
        return rank;
    }
}
