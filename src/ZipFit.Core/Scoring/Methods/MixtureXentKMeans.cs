namespace ZipFit.Core.Scoring.Methods;

/// <summary>cm-mix: the initial partition of the sample, spherical k-means on hashed byte-bigram (or word) features.</summary>
public sealed partial class MixtureXentMethod
{
    // ---------- k-means on hashed byte-bigram features (Hellinger / cosine) ----------

    private static int[] KMeans(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> bg, MixtureXentOptions o)
    {
        // clusters 1..K over the sample only; seeds = examples at evenly spaced sample positions (deterministic)
        int dims = o.FeatureDims, k = o.Clusters, n = bg.Count;
        var wf = o.WordFeatures ? new DsirFeaturizer(new DsirOptions { NumBuckets = dims }) : null;
        var feats = bg.Select(x => wf != null ? WordFeature(x, wf) : Feature(x, dims)).ToArray();
        var cent = new double[k][];
        for (int c = 0; c < k; c++) cent[c] = Dense(feats[(int)((long)c * n / k)], dims);
        var assign = new int[n];
        for (int it = 0; it <= o.KMeansIterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                int best = 0;
                double bd = Dot(feats[i], cent[0]);
                for (int c = 1; c < k; c++) { double v = Dot(feats[i], cent[c]); if (v > bd) { bd = v; best = c; } }
                assign[i] = best;
            }
            if (it == o.KMeansIterations) break;
            var sums = new double[k][];
            for (int c = 0; c < k; c++) sums[c] = new double[dims];
            for (int i = 0; i < n; i++)
            {
                var s = sums[assign[i]];
                var f = feats[i];
                for (int j = 0; j < f.Idx.Length; j++) s[f.Idx[j]] += f.Val[j];
            }
            for (int c = 0; c < k; c++)
            {
                double norm = 0;
                foreach (var v in sums[c]) norm += v * v;
                if (norm > 0) cent[c] = Normalize(sums[c]); // empty cluster keeps its centroid
            }
        }
        // absorb target-like clusters into the target component (0): a cluster whose members are mostly coded in fewer bits
        // by a target-primed model than by the sample-primed model (cm-xent score > 0) is part of the target's distribution
        var cm = ContextXentMethod.Prepare(target, bg, new ContextXentOptions { Order = 2, HashBits = 18 });
        var pos = new int[k];
        var cnt = new int[k];
        var positive = new bool[n];
        using (var s = cm.CreateScorer())
            for (int i = 0; i < n; i++)
            {
                cnt[assign[i]]++;
                positive[i] = s.Score(bg[i]) > 0;
                if (positive[i]) pos[assign[i]]++;
            }
        for (int i = 0; i < n; i++)
            assign[i] = (o.SeedPerExample ? positive[i] : 2 * pos[assign[i]] > cnt[assign[i]]) ? 0 : assign[i] + 1;
        return assign;
    }

    private static double[] Normalize(double[] v)
    {
        double s = 0;
        foreach (var x in v) s += x * x;
        s = Math.Sqrt(s);
        if (s > 0) for (int i = 0; i < v.Length; i++) v[i] /= s;
        return v;
    }

    private static double[] Dense((int[] Idx, double[] Val) f, int dims)
    {
        var v = new double[dims];
        for (int j = 0; j < f.Idx.Length; j++) v[f.Idx[j]] = f.Val[j];
        return v;
    }

    private static double Dot((int[] Idx, double[] Val) f, double[] c)
    {
        double s = 0;
        for (int j = 0; j < f.Idx.Length; j++) s += f.Val[j] * c[f.Idx[j]];
        return s;
    }

    private struct DictSink : IBucketSink
    {
        public SortedDictionary<int, int> Counts;
        public void Add(int bucket) => Counts[bucket] = Counts.TryGetValue(bucket, out int v) ? v + 1 : 1;
    }

    private static (int[] Idx, double[] Val) WordFeature(byte[] x, DsirFeaturizer f)
    {
        var sink = new DictSink { Counts = new SortedDictionary<int, int>() };
        f.Run(x, ref sink);
        var counts = sink.Counts;
        var idx = counts.Keys.ToArray();
        var val = idx.Select(i => Math.Sqrt(counts[i])).ToArray();
        double norm = Math.Sqrt(val.Sum(v => v * v));
        if (norm > 0) for (int i = 0; i < val.Length; i++) val[i] /= norm;
        return (idx, val);
    }

    private static (int[] Idx, double[] Val) Feature(byte[] x, int dims)
    {
        var hs = new int[x.Length];
        int prev = 0;
        for (int i = 0; i < x.Length; i++)
        {
            byte b = x[i];
            hs[i] = (int)(((uint)((prev << 8) | b) * 0x9E3779B1u) >> 7) & (dims - 1);
            prev = b;
        }
        return SqrtNormalized(hs);
    }

    /// <summary>Sorted distinct values with sqrt(count) weights, L2-normalised.</summary>
    private static (int[] Idx, double[] Val) SqrtNormalized(int[] hs)
    {
        Array.Sort(hs);
        var idx = new List<int>();
        var val = new List<double>();
        for (int i = 0; i < hs.Length;)
        {
            int j = i;
            while (j < hs.Length && hs[j] == hs[i]) j++;
            idx.Add(hs[i]);
            val.Add(Math.Sqrt(j - i));
            i = j;
        }
        double norm = Math.Sqrt(val.Sum(v => v * v));
        var va = val.ToArray();
        if (norm > 0) for (int i = 0; i < va.Length; i++) va[i] /= norm;
        return (idx.ToArray(), va);
    }
}
