package org.varpart.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.varpart.counts.Tmm;
import scala.Tuple2;

/**
 * Pass 2 of a counts assay (docs/counts.md): edgeR's TMM normalisation factors of the kept
 * features, computed sample by sample in a transposed layout. The pieces are {@link Tmm}'s; this
 * class only moves the data: each partition of the (sorted) features sends one stretch per sample
 * column, so the shuffle carries samples × partitions records rather than one per count.
 */
final class CountsTmm {
    private CountsTmm() {}

    /**
     * TMM with one task per sample: the kept features that are not zero everywhere, indexed, are
     * turned into sample columns; each column gives its upper-quartile factor and Σ√count, the
     * driver picks the reference, whose column is broadcast, and each sample's factor is computed
     * against it, then normalised on the driver.
     */
    static double[] factors(JavaPairRDD<String, double[]> kept, double[] libSize, int n) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(kept.context());
        JavaPairRDD<String, double[]> nonZero = kept.filter(t -> Arrays.stream(t._2()).anyMatch(v -> v > 0)).sortByKey();
        long m = nonZero.count();
        if (m == 0 || n == 1) return CountsStage.ones(n);
        // each partition's stretch of every column (sample j, partition index, its values), joined in partition order:
        // n records per partition to shuffle, not n per feature
        JavaPairRDD<Integer, double[]> columns = nonZero.values().mapPartitionsWithIndex((part, it) -> {
            List<double[]> rows = new ArrayList<>();
            it.forEachRemaining(rows::add);
            List<Tuple2<Integer, Tuple2<Integer, double[]>>> o = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                double[] stretch = new double[rows.size()];
                for (int r = 0; r < stretch.length; r++) stretch[r] = rows.get(r)[j];
                o.add(new Tuple2<>(j, new Tuple2<>(part, stretch)));
            }
            return o.iterator();
        }, true).mapToPair(t -> t).groupByKey().mapValues(stretches -> {
            List<Tuple2<Integer, double[]>> ordered = new ArrayList<>();
            stretches.forEach(ordered::add);
            ordered.sort(Comparator.comparing(Tuple2::_1));
            double[] col = new double[(int) m];
            int at = 0;
            for (Tuple2<Integer, double[]> st : ordered) {
                System.arraycopy(st._2(), 0, col, at, st._2().length);
                at += st._2().length;
            }
            return col;
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        double[] f75 = new double[n], sqrtSums = new double[n];
        for (Tuple2<Integer, double[]> s : columns.mapValues(col -> {
            double r = 0;
            for (double v : col) r += Math.sqrt(v);
            return new double[] {r};
        }).collect()) sqrtSums[s._1()] = s._2()[0];
        for (Tuple2<Integer, Double> s : columns.mapToPair(t -> new Tuple2<>(t._1(), Tmm.upperQuartileFactor(t._2(), libSize[t._1()]))).collect()) {
            f75[s._1()] = s._2();
        }
        int ref = Tmm.chooseReference(f75, sqrtSums);
        Broadcast<double[]> refCol = jsc.broadcast(columns.lookup(ref).get(0));
        double[] f = new double[n];
        for (Tuple2<Integer, Double> s : columns.mapToPair(t -> new Tuple2<>(t._1(),
                Tmm.factor(t._2(), refCol.value(), libSize[t._1()], libSize[ref]))).collect()) {
            f[s._1()] = s._2();
        }
        columns.unpersist();
        return Tmm.normalise(f);
    }

}
