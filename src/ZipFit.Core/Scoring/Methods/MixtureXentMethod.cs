using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZipFit.Core.Scoring.Methods;

public sealed record MixtureXentOptions
{
    /// <summary>Number of background components the sample is clustered into (besides the target component).</summary>
    public int Clusters { get; init; } = 15;

    /// <summary>Spherical k-means iterations on byte-bigram features (initial partition of the sample).</summary>
    public int KMeansIterations { get; init; } = 8;

    /// <summary>Hard-EM iterations with the context models themselves (reassign each sample example to the component that
    /// codes it in the fewest bits; examples that join the target component are pseudo-positives).</summary>
    public int EmIterations { get; init; } = 3;

    /// <summary>Hashed byte-bigram feature dimensions for k-means.</summary>
    public int FeatureDims { get; init; } = 4096;

    /// <summary>Seed the target component per example (sample examples with a positive cm-xent score, i.e. pseudo-relevance
    /// feedback) instead of absorbing whole k-means clusters whose majority scores positive.</summary>
    internal bool SeedPerExample { get; init; } = true;

    /// <summary>k-means features: hashed word-punct unigrams+bigrams (DSIR's tokeniser) instead of byte bigrams.</summary>
    internal bool WordFeatures { get; init; }

    /// <summary>Hard-EM reassignment scores an example against its own component with its own counts removed
    /// (leave-one-out at order 2), so that rare n-grams do not glue an example to the component it started in.</summary>
    internal bool LeaveOneOut { get; init; } = true;

    public static MixtureXentOptions Default { get; } = new();

    /// <summary>Input view: raw bytes (default) or the syntax skeleton (<see cref="SyntaxSkeleton"/>: every run of
    /// letters/digits/underscore/non-ASCII becomes one class symbol, punctuation and whitespace are kept).</summary>
    public MixtureView View { get; init; } = MixtureView.Bytes;

    /// <summary>Order of the scoring models, 2 to 4. Above 2, orders 3 and 4 are interpolated over the order-2 model of the
    /// final partition (the partition itself is always found with order 2). Costs more memory and scoring time; it pays on
    /// the small alphabet of the skeleton view.</summary>
    public int ScoreOrder { get; init; } = 2;

    /// <summary>Distinct grams an order above 2 may hold (its table is grams × row width × 4 bytes); past it the model falls
    /// back to the next lower order, which the identity then names.</summary>
    internal int MaxHigherOrderGrams { get; init; } = 4_000_000;

    internal void Validate()
    {
        if (ScoreOrder is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(ScoreOrder));
        if (Clusters is < 1 or > 63) throw new ArgumentOutOfRangeException(nameof(Clusters));
        if (KMeansIterations is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(KMeansIterations));
        if (EmIterations is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(EmIterations));
        if (FeatureDims < 16 || (FeatureDims & (FeatureDims - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(FeatureDims));
    }
}

public enum MixtureView { Bytes, Skeleton }

/// <summary>Syntax skeleton of a text: each maximal run of word bytes ([A-Za-z0-9_] or ≥ 0x80) becomes 'a' (starts with
/// a letter, '_' or a non-ASCII byte) or '0' (starts with a digit); every other byte (punctuation, whitespace, controls)
/// is kept. Language-independent: it keeps what separates formats (comment markers, brackets, operators, layout) and
/// drops the vocabulary.</summary>
public static class SyntaxSkeleton
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool IsWord(byte b) => b >= 0x80 || (b >= (byte)'0' && b <= (byte)'9') || ((b | 0x20) >= (byte)'a' && (b | 0x20) <= (byte)'z') || b == (byte)'_';

    /// <summary>Writes the skeleton of x into dst (dst.Length ≥ x.Length) and returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Map(ReadOnlySpan<byte> x, Span<byte> dst)
    {
        int n = 0;
        bool inWord = false;
        foreach (byte b in x)
        {
            if (IsWord(b))
            {
                if (!inWord) dst[n++] = b >= (byte)'0' && b <= (byte)'9' ? (byte)'0' : (byte)'a';
                inWord = true;
            }
            else { dst[n++] = b; inWord = false; }
        }
        return n;
    }

    public static byte[] Map(byte[] x)
    {
        var d = new byte[x.Length];
        int n = Map(x, d);
        return d.AsSpan(0, n).ToArray();
    }
}

/// <summary>
/// "cm-mix": code-length classification against a mixture of background components. The background sample is clustered
/// without labels (byte-bigram spherical k-means, then hard EM with the context models: each example goes to the
/// component whose order-2 Witten-Bell byte model codes it in the fewest bits); one extra component is anchored by the
/// target set, and sample examples that join it are pseudo-positives. score(x) = [min_k L_k(x) − L_target(x)] / |x|:
/// the bits per byte the target model saves over the best competing background component (a Viterbi mixture; the
/// likelihood-ratio test against "x comes from some other part of the pool" instead of against the pooled background).
/// All component models are compiled into float log-probability tables (exact Witten-Bell with back-off, order 2):
/// scoring is one hash probe per byte plus a SIMD add of the component row. Zero allocation per example.
/// </summary>
public sealed partial class MixtureXentMethod : IScoringMethod
{
    private readonly int _w;          // row width (components padded to the SIMD width)
    private readonly int _k;          // components (0 = target)
    private readonly float[] _lp1;    // [c1<<8|b] * w
    private readonly float[] _bo;     // [c2<<8|c1] * w
    private readonly float[] _lp2;    // [id] * w
    private readonly int[] _keys;     // open addressing: trigram key (24 bits) or -1
    private readonly int[] _ids;
    private readonly int _mask;

    private readonly HigherOrderTables? _high;

    private MixtureXentMethod(MixtureXentOptions o, Tables t, int bgCount, int pseudo, int[] assignment, HigherOrderTables? high)
    {
        Options = o;
        _high = high;
        int scoreOrder = high?.Order ?? 2;
        _w = t.W; _k = t.K; _lp1 = t.Lp1; _bo = t.Bo; _lp2 = t.Lp2; _keys = t.Keys; _ids = t.Ids; _mask = t.Keys.Length - 1;
        PseudoPositives = pseudo;
        _assignment = assignment;
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"cm-mix(order=2,smoothing=witten-bell,clusters={o.Clusters},kmeans={o.KMeansIterations},em={o.EmIterations},featDims={o.FeatureDims},seed={(o.SeedPerExample ? "example" : "cluster")},feat={(o.WordFeatures ? "words" : "bytes")},loo={(o.LeaveOneOut ? 1 : 0)}{(o.View == MixtureView.Skeleton ? ",view=skeleton" : "")}{(scoreOrder != 2 ? $",scoreOrder={scoreOrder}" : "")},score=target-vs-best-component,bg={bgCount})");
    }

    private readonly int[] _assignment;
    public MixtureXentOptions Options { get; }
    public string Identity { get; }
    /// <summary>Sample examples assigned to the target component by the final partition.</summary>
    public int PseudoPositives { get; }
    /// <summary>Component of each sample example (0 = target), diagnostics; copy.</summary>
    internal int[] Assignment() => (int[])_assignment.Clone();

    public static MixtureXentMethod Prepare(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> background, MixtureXentOptions? options = null)
    {
        options ??= MixtureXentOptions.Default;
        options.Validate();
        if (target.Count == 0) throw new ArgumentException("empty target set", nameof(target));
        if (background.Count == 0) throw new ArgumentException("empty background set", nameof(background));
        if (options.View == MixtureView.Skeleton)
        {
            target = target.Select(SyntaxSkeleton.Map).ToArray();
            background = background.Select(SyntaxSkeleton.Map).ToArray();
        }

        // 1. initial partition: spherical k-means on hashed byte-bigram features; component 0 holds the target (fixed)
        int[] assign = KMeans(target, background, options);
        return FromAssignment(target, background, options, assign, options.Clusters + 1);
    }

    /// <summary>
    /// Steps 2-3 of <see cref="Prepare"/> from a given partition of the sample (0 = target side), which the hard EM
    /// refines in place. The inputs are taken as they are: a skeleton view must be mapped by the caller.
    /// </summary>
    internal static MixtureXentMethod FromAssignment(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> background, MixtureXentOptions options, int[] assign, int k)
    {
        int n = background.Count;

        // 2. distinct trigram ids over target + sample; per example sparse (id, count)
        var idOf = new Dictionary<int, int>();
        var tSparse = target.Select(x => Sparse(x, idOf)).ToArray();
        var bSparse = background.Select(x => Sparse(x, idOf)).ToArray();
        int d = idOf.Count;
        var keyOfId = new int[d];
        foreach (var kv in idOf) keyOfId[kv.Value] = kv.Key;

        Tables tables = Build(k, d, keyOfId, tSparse, bSparse, assign, options.EmIterations == 0);
        for (int it = 0; it < options.EmIterations; it++)
        {
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int best = BestComponent(tables, bSparse[i], options.LeaveOneOut ? assign[i] : -1);
                if (best != assign[i]) { assign[i] = best; changed = true; }
            }
            bool last = it == options.EmIterations - 1 || !changed;
            tables = Build(k, d, keyOfId, tSparse, bSparse, assign, last);
            if (!changed) break;
        }
        tables.Hash();
        var high = options.ScoreOrder > 2
            ? HigherOrderTables.Build(target, background, assign, idOf, tables, options.ScoreOrder, options.MaxHigherOrderGrams)
            : null;
        return new MixtureXentMethod(options, tables, n, assign.Count(a => a == 0), assign, high);
    }

    private static int BestComponent(Tables t, (int[] Ids, int[] Counts) ex, int own)
    {
        int w = t.W, k = t.K;
        Span<double> acc = stackalloc double[t.K];
        acc.Clear();
        for (int j = 0; j < ex.Ids.Length; j++)
        {
            int row = ex.Ids[j] * w;
            int c = ex.Counts[j];
            for (int q = 0; q < t.K; q++) acc[q] += c * (double)t.Lp2[row + q];
        }
        if (own >= 0)
        {
            // leave-one-out for the example's own component (order-2 counts; lower orders kept): p = (n3−c + u2'·p1)/(n2−cx + u2')
            var ctxCount = new Dictionary<int, int>();
            for (int j = 0; j < ex.Ids.Length; j++)
            {
                int ctx = t.KeyOfId[ex.Ids[j]] >> 8;
                ctxCount[ctx] = ctxCount.TryGetValue(ctx, out int v) ? v + ex.Counts[j] : ex.Counts[j];
            }
            double loo = 0;
            for (int j = 0; j < ex.Ids.Length; j++)
            {
                int id = ex.Ids[j], c = ex.Counts[j], key = t.KeyOfId[id];
                int ctx = key >> 8;
                int n3 = t.N3[id * k + own] - c;
                int n2 = t.N2ctx[ctx * k + own] - ctxCount[ctx];
                int u2 = t.U2[ctx * k + own];
                // distinct symbols of this context that only this example contributed
                double pl = t.P1[(key & 0xFFFF) * k + own];
                double p;
                if (n2 <= 0) p = pl;
                else
                {
                    int u = Math.Max(1, u2 - (n3 == 0 ? 1 : 0));
                    p = (n3 + u * pl) / (n2 + u);
                }
                loo += c * Math.Log(p);
            }
            acc[own] = loo;
        }
        int best = 0;
        for (int q = 1; q < t.K; q++) if (acc[q] > acc[best]) best = q;
        return best;
    }

    private static (int[] Ids, int[] Counts) Sparse(byte[] x, Dictionary<int, int> idOf)
    {
        var all = new int[x.Length];
        int c = 0;
        for (int i = 0; i < x.Length; i++)
        {
            byte b = x[i];
            int key = ((c & 0xFFFF) << 8) | b;
            if (!idOf.TryGetValue(key, out int id)) { id = idOf.Count; idOf[key] = id; }
            all[i] = id;
            c = (c << 8) | b;
        }
        Array.Sort(all);
        var ids = new List<int>();
        var counts = new List<int>();
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j] == all[i]) j++;
            ids.Add(all[i]);
            counts.Add(j - i);
            i = j;
        }
        return (ids.ToArray(), counts.ToArray());
    }

    private sealed class Tables
    {
        public int W, K;
        public float[] Lp1 = null!, Bo = null!, Lp2 = null!;
        public int[] KeyOfId = null!;
        public int[] N3 = null!, N2ctx = null!, U2 = null!;
        public double[] P1 = null!;
        public int[] Keys = null!, Ids = null!;

        public void Hash()
        {
            int size = 1;
            while (size < 2 * KeyOfId.Length) size <<= 1;
            Keys = new int[size];
            Ids = new int[size];
            Array.Fill(Keys, -1);
            int mask = size - 1;
            for (int id = 0; id < KeyOfId.Length; id++)
            {
                int key = KeyOfId[id];
                int h = Slot(key, mask);
                while (Keys[h] != -1) h = (h + 1) & mask;
                Keys[h] = key;
                Ids[h] = id;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(int key, int mask) => (int)(((uint)key * 0x9E3779B1u) >> 8) & mask;

    private static Tables Build(int k, int d, int[] keyOfId, (int[] Ids, int[] Counts)[] tSparse, (int[] Ids, int[] Counts)[] bSparse, int[] assign, bool final)
    {
        int vw = Vector<float>.Count;
        int w = (k + vw - 1) / vw * vw;
        var n3 = new int[d * k];
        foreach (var ex in tSparse)
            for (int j = 0; j < ex.Ids.Length; j++) n3[ex.Ids[j] * k] += ex.Counts[j];
        for (int i = 0; i < bSparse.Length; i++)
        {
            var ex = bSparse[i];
            int a = assign[i];
            for (int j = 0; j < ex.Ids.Length; j++) n3[ex.Ids[j] * k + a] += ex.Counts[j];
        }
        var n2ctx = new int[65536 * k];
        var u2 = new int[65536 * k];
        var n1 = new int[65536 * k];
        for (int id = 0; id < d; id++)
        {
            int key = keyOfId[id];
            int ctx = key >> 8, c1b = key & 0xFFFF;
            for (int q = 0; q < k; q++)
            {
                int v = n3[id * k + q];
                if (v == 0) continue;
                n2ctx[ctx * k + q] += v;
                u2[ctx * k + q]++;
                n1[c1b * k + q] += v;
            }
        }
        var n1ctx = new int[256 * k];
        var u1 = new int[256 * k];
        var n0 = new long[256 * k];
        var tot = new long[k];
        for (int c1b = 0; c1b < 65536; c1b++)
            for (int q = 0; q < k; q++)
            {
                int v = n1[c1b * k + q];
                if (v == 0) continue;
                n1ctx[(c1b >> 8) * k + q] += v;
                u1[(c1b >> 8) * k + q]++;
                n0[(c1b & 255) * k + q] += v;
                tot[q] += v;
            }
        var p1 = new double[65536 * k];
        var lp1 = final ? new float[65536 * w] : Array.Empty<float>();
        for (int c1b = 0; c1b < 65536; c1b++)
        {
            int c1 = c1b >> 8, b = c1b & 255;
            for (int q = 0; q < k; q++)
            {
                double p0 = (n0[b * k + q] + 1.0) / (tot[q] + 256.0);
                int nc = n1ctx[c1 * k + q];
                double p = nc > 0 ? (n1[c1b * k + q] + u1[c1 * k + q] * p0) / (nc + u1[c1 * k + q]) : p0;
                p1[c1b * k + q] = p;
                if (final) lp1[c1b * w + q] = (float)Math.Log(p);
            }
        }
        var bo = final ? new float[65536 * w] : Array.Empty<float>();
        for (int ctx = 0; final && ctx < 65536; ctx++)
            for (int q = 0; q < k; q++)
            {
                int nc = n2ctx[ctx * k + q];
                bo[ctx * w + q] = nc > 0 ? (float)Math.Log(u2[ctx * k + q] / (double)(nc + u2[ctx * k + q])) : 0f;
            }
        var lp2 = new float[(long)d * w];
        for (int id = 0; id < d; id++)
        {
            int key = keyOfId[id];
            int ctx = key >> 8, c1b = key & 0xFFFF;
            for (int q = 0; q < k; q++)
            {
                int nc = n2ctx[ctx * k + q];
                double pl = p1[c1b * k + q];
                double p = nc > 0 ? (n3[id * k + q] + u2[ctx * k + q] * pl) / (nc + u2[ctx * k + q]) : pl;
                lp2[id * w + q] = (float)Math.Log(p);
            }
        }
        return new Tables { W = w, K = k, Lp1 = lp1, Bo = bo, Lp2 = lp2, KeyOfId = keyOfId, N3 = n3, N2ctx = n2ctx, U2 = u2, P1 = p1 };
    }

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

    public IExampleScorer CreateScorer() => new Scorer(this);

    private sealed class Scorer : IExampleScorer
    {
        private readonly MixtureXentMethod _m;
        private readonly float[] _acc;
        private byte[] _buf = new byte[4096];
        public Scorer(MixtureXentMethod m) { _m = m; _acc = new float[m._w]; }

        // The O(N) scorers' hot loops are compiled optimised at first call: a cmdlet usually scores a pool once, and
        // tiered compilation (tier 0, then on-stack replacement) made a first pass over 20,000 examples ~1.7x slower.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Score(ReadOnlySpan<byte> x)
        {
            if (x.Length == 0) return ScoreConstants.Excluded;
            if (_m.Options.View == MixtureView.Skeleton)
            {
                byte[] buf = Scratch.Ensure(ref _buf, x.Length);
                x = buf.AsSpan(0, SyntaxSkeleton.Map(x, buf));
            }
            var m = _m;
            Span<float> acc = _acc;
            acc.Clear();
            if (m._high is not null)
            {
                m.AccumulateHigherOrder(x, acc);
                return BestSaving(m, acc, x.Length);
            }
            int w = m._w, mask = m._mask;
            int[] keys = m._keys, ids = m._ids;
            ref float lp1 = ref MemoryMarshal.GetArrayDataReference(m._lp1);
            ref float bo = ref MemoryMarshal.GetArrayDataReference(m._bo);
            ref float lp2 = ref MemoryMarshal.GetArrayDataReference(m._lp2);
            ref float a0 = ref MemoryMarshal.GetReference(acc);
            int vw = Vector<float>.Count;
            int c = 0;
            for (int i = 0; i < x.Length; i++)
            {
                byte b = x[i];
                int key = ((c & 0xFFFF) << 8) | b;
                int h = Slot(key, mask);
                int found = -1;
                while (true)
                {
                    int kk = keys[h];
                    if (kk == key) { found = ids[h]; break; }
                    if (kk == -1) break;
                    h = (h + 1) & mask;
                }
                if (found >= 0) AddRow(ref a0, ref lp2, found * w, w);
                else
                {
                    int r1 = (((c & 0xFF) << 8) | b) * w, r2 = (c & 0xFFFF) * w;
                    for (int q = 0; q < w; q += vw)
                    {
                        ref float dst = ref Unsafe.Add(ref a0, q);
                        Unsafe.As<float, Vector<float>>(ref dst) += Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref lp1, r1 + q))
                            + Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref bo, r2 + q));
                    }
                }
                c = (c << 8) | b;
            }
            return BestSaving(m, acc, x.Length);
        }

        private static double BestSaving(MixtureXentMethod m, Span<float> acc, int length)
        {
            float best = float.NegativeInfinity;
            for (int q = 1; q < m._k; q++) if (acc[q] > best) best = acc[q];
            return ((double)acc[0] - best) / length;
        }

        public void Dispose() { }
    }
}
