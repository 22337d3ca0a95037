using System.Globalization;

namespace ZipFit.Core.Scoring.Methods;

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
    // Every table row holds one float per component, padded to the SIMD width (_rowWidth floats).
    private readonly int _rowWidth;              // components padded to the SIMD width
    internal int RowWidth => _rowWidth;
    private readonly int _components;            // components (0 = target)
    private readonly float[] _bigramLogProb;     // log P(b | c1), row [c1<<8|b]
    private readonly float[] _trigramBackOff;    // Witten-Bell back-off weight of the context (c2, c1), row [c2<<8|c1]
    private readonly float[] _trigramLogProb;    // log P(b | c2, c1) of a seen trigram, by row (from _keys/_ids or _contexts)
    private readonly int[] _keys;     // open addressing: trigram key (24 bits) or -1
    private readonly int[] _ids;
    private readonly int _mask;

    private readonly HigherOrderTables? _high;
    private readonly ContextIndex? _contexts; // the order-2 scorer's trigram lookup (null with order-3/4 tables)

    private MixtureXentMethod(MixtureXentOptions o, Tables t, int bgCount, int pseudo, int[] assignment, HigherOrderTables? high)
    {
        Options = o;
        _high = high;
        int scoreOrder = high?.Order ?? 2;
        _rowWidth = t.RowWidth; _components = t.Components; _bigramLogProb = t.BigramLogProb; _trigramBackOff = t.TrigramBackOff; _trigramLogProb = t.TrigramLogProb; _keys = t.Keys; _ids = t.Ids; _mask = t.Keys.Length - 1;
        if (high is null && o.ContextIndex)
        {
            // Only the order-2 scorer looks trigrams up by key: its rows are put in key order, the hash table renumbered to
            // match, and the context index built over them. (The order-3/4 tables refer to rows by their original ids.)
            var rowOfId = new int[t.KeyOfId.Length];
            _contexts = new ContextIndex(t.KeyOfId, rowOfId);
            PermuteRows(_trigramLogProb, rowOfId, _rowWidth);
            var ids = new int[_ids.Length];
            for (int h = 0; h < ids.Length; h++) ids[h] = _keys[h] == -1 ? 0 : rowOfId[_ids[h]];
            _ids = ids;
        }
        PseudoPositives = pseudo;
        _assignment = assignment;
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"cm-mix(order=2,smoothing=witten-bell,clusters={o.Clusters},kmeans={o.KMeansIterations},em={o.EmIterations},featDims={o.FeatureDims},seed={(o.SeedPerExample ? "example" : "cluster")},feat={(o.WordFeatures ? "words" : "bytes")},loo={(o.LeaveOneOut ? 1 : 0)}{(o.View == MixtureView.Skeleton ? ",view=skeleton" : "")}{(scoreOrder != 2 ? $",scoreOrder={scoreOrder}" : "")},score=target-vs-best-component,bg={bgCount})");
    }

    /// <summary>Moves row id of <paramref name="rows"/> to row rowOfId[id], in place (cycle by cycle, one row held aside).</summary>
    private static void PermuteRows(float[] rows, int[] rowOfId, int w)
    {
        var done = new bool[rowOfId.Length];
        var held = new float[w];
        var swap = new float[w];
        for (int start = 0; start < rowOfId.Length; start++)
        {
            if (done[start]) continue;
            Array.Copy(rows, (long)start * w, held, 0, w);
            int id = start;
            while (!done[id])
            {
                done[id] = true;
                int to = rowOfId[id];
                Array.Copy(rows, (long)to * w, swap, 0, w);
                Array.Copy(held, 0, rows, (long)to * w, w);
                (held, swap) = (swap, held);
                id = to;
            }
        }
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
            tables = Build(k, d, keyOfId, tSparse, bSparse, assign, last, recycle: options.ReuseEmTables ? tables : null);
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
        int w = t.RowWidth, k = t.Components;
        Span<double> acc = stackalloc double[t.Components];
        acc.Clear();
        for (int j = 0; j < ex.Ids.Length; j++)
        {
            int row = ex.Ids[j] * w;
            int c = ex.Counts[j];
            for (int q = 0; q < t.Components; q++) acc[q] += c * (double)t.TrigramLogProb[row + q];
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
        for (int q = 1; q < t.Components; q++) if (acc[q] > acc[best]) best = q;
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
}
