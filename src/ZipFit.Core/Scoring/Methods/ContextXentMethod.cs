using System.Globalization;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Scoring.Methods;

public sealed record ContextXentOptions
{
    /// <summary>Maximum context length in bytes (orders 0..Order are blended). 1..8.</summary>
    public int Order { get; init; } = 2;

    /// <summary>log2 of the number of hash buckets of each count table.</summary>
    public int HashBits { get; init; } = 20;

    /// <summary>Whitespace folding applied to target, background and scored examples.</summary>
    internal WhitespaceFolding Folding { get; init; } = WhitespaceFolding.None;

    public static ContextXentOptions Default { get; } = new();

    internal void Validate()
    {
        if (Order is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(Order));
        if (HashBits is < 10 or > 26) throw new ArgumentOutOfRangeException(nameof(HashBits));
    }
}

/// <summary>
/// Context-model cross-entropy (a PPM-style static compressor without the coder): two interpolated
/// Witten-Bell byte context models of orders 0..k, one primed on the target set, one on the background sample
/// of the pool. score(x) = Σ_i [log p_target(x_i | x_{i-k..i-1}) − log p_bg(x_i | …)] / |x| — the code length
/// an arithmetic coder saves per byte (in nats) by using the target-primed model instead of the pool-primed one;
/// the compression analogue of DSIR's log p_target/p_pool, normalised by length. Counts live in hashed tables
/// built once per target set (read-only afterwards); scoring is 2 table look-ups per order per byte, no allocation.
/// </summary>
public sealed class ContextXentMethod : IScoringMethod
{
    // joint table: hash(order, ctx, b) -> [target count, background count]
    private readonly int[] _joint;
    // context table: hash(order, ctx) -> [target count, target distinct, background count, background distinct]
    private readonly int[] _ctx;
    private readonly double[] _p0t, _p0b; // order-0 distributions (add-one)
    private readonly int _shift;
    private readonly int _order;

    private ContextXentMethod(ContextXentOptions o, int[] joint, int[] ctx, double[] p0t, double[] p0b, int bgCount)
    {
        Options = o;
        _joint = joint;
        _ctx = ctx;
        _p0t = p0t;
        _p0b = p0b;
        _order = o.Order;
        _shift = 64 - o.HashBits;
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"cm-xent(order={o.Order},hashBits={o.HashBits},smoothing=witten-bell,ws={WhitespaceFolder.Name(o.Folding)},bg={bgCount})");
    }

    public ContextXentOptions Options { get; }
    public string Identity { get; }

    public static ContextXentMethod Prepare(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> background, ContextXentOptions? options = null)
    {
        options ??= ContextXentOptions.Default;
        options.Validate();
        if (target.Count == 0) throw new ArgumentException("empty target set", nameof(target));
        if (background.Count == 0) throw new ArgumentException("empty background set", nameof(background));
        target = WhitespaceFolder.FoldAll(target, options.Folding);
        background = WhitespaceFolder.FoldAll(background, options.Folding);
        int size = 1 << options.HashBits;
        var joint = new int[2 * size];
        var ctx = new int[4 * size];
        int shift = 64 - options.HashBits;
        int order = options.Order;
        void Count(byte[] x, int side)
        {
            ulong c = 0;
            foreach (byte b in x)
            {
                for (int o = 1; o <= order; o++)
                {
                    ulong co = c & Mask(o);
                    int hj = 2 * HJoint(o, co, b, shift) + side;
                    int hc = 4 * HCtx(o, co, shift) + 2 * side;
                    if (joint[hj]++ == 0) ctx[hc + 1]++;
                    ctx[hc]++;
                }
                c = (c << 8) | b;
            }
        }
        var p0t = new double[256];
        var p0b = new double[256];
        long nt = 0, nb = 0;
        foreach (var t in target) { Count(t, 0); foreach (byte v in t) p0t[v]++; nt += t.Length; }
        foreach (var b in background) { Count(b, 1); foreach (byte v in b) p0b[v]++; nb += b.Length; }
        for (int i = 0; i < 256; i++)
        {
            p0t[i] = (p0t[i] + 1) / (nt + 256.0);
            p0b[i] = (p0b[i] + 1) / (nb + 256.0);
        }
        return new ContextXentMethod(options, joint, ctx, p0t, p0b, background.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(int o) => o >= 8 ? ulong.MaxValue : (1UL << (8 * o)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HCtx(int o, ulong c, int shift) => (int)(((c * 0x9E3779B97F4A7C15UL) ^ ((ulong)o * 0xC2B2AE3D27D4EB4FUL)) * 0xD6E8FEB86659FD93UL >> shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HJoint(int o, ulong c, byte b, int shift) =>
        (int)((((c * 0xFF51AFD7ED558CCDUL) + b + 1) ^ ((ulong)o * 0x94D049BB133111EBUL)) * 0x9E3779B97F4A7C15UL >> shift);

    public IExampleScorer CreateScorer() => new Scorer(this);

    private sealed class Scorer : IExampleScorer
    {
        private readonly ContextXentMethod _m;
        private byte[] _buf = new byte[16 * 1024];
        public Scorer(ContextXentMethod m) => _m = m;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Score(ReadOnlySpan<byte> utf8)
        {
            ReadOnlySpan<byte> x = WhitespaceFolder.FoldInto(utf8, _m.Options.Folding, ref _buf);
            if (x.Length == 0) return ScoreConstants.Excluded;
            var m = _m;
            int[] joint = m._joint, ctxT = m._ctx;
            double[] p0t = m._p0t, p0b = m._p0b;
            int shift = m._shift, order = m._order;
            ulong c = 0;
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                byte b = x[i];
                double pt = p0t[b], pb = p0b[b];
                for (int o = 1; o <= order; o++)
                {
                    ulong co = c & Mask(o);
                    int hj = 2 * HJoint(o, co, b, shift);
                    int hc = 4 * HCtx(o, co, shift);
                    int tc = ctxT[hc], tu = ctxT[hc + 1], bc = ctxT[hc + 2], bu = ctxT[hc + 3];
                    // hash collisions can break c(ctx,b) <= c(ctx) and u(ctx) >= 1: clamp so p stays in (0, 1]
                    if (tc > 0)
                    {
                        if (tu == 0) tu = 1;
                        pt = (Math.Min(joint[hj], tc) + tu * pt) / (tc + tu);
                    }
                    if (bc > 0)
                    {
                        if (bu == 0) bu = 1;
                        pb = (Math.Min(joint[hj + 1], bc) + bu * pb) / (bc + bu);
                    }
                }
                sum += Math.Log(pt / pb);
                c = (c << 8) | b;
            }
            return sum / x.Length;
        }

        public void Dispose() { }
    }
}
