using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>cm-mix: the compiled order-2 Witten-Bell log-probability tables of every component.</summary>
public sealed partial class MixtureXentMethod
{
    private sealed class Tables
    {
        public int RowWidth, Components;
        public float[] BigramLogProb = null!, TrigramBackOff = null!, TrigramLogProb = null!;
        public int[] KeyOfId = null!;
        public int[] N3 = null!, N2ctx = null!, U2 = null!;
        public int[] N1 = null!; // order-1 counts: only kept to be reused by the next EM iteration
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

    /// <param name="recycle">Tables of the previous EM iteration, no longer needed: their arrays of the same sizes are
    /// cleared and reused, so the iterations do not leave tens of megabytes of large-object garbage each.</param>
    private static Tables Build(int k, int d, int[] keyOfId, (int[] Ids, int[] Counts)[] tSparse, (int[] Ids, int[] Counts)[] bSparse, int[] assign, bool final,
        Tables? recycle = null)
    {
        int vw = Vector<float>.Count;
        int w = (k + vw - 1) / vw * vw;
        T[] Reuse<T>(T[]? old, int length)
        {
            if (old is null || old.Length != length) return new T[length];
            Array.Clear(old);
            return old;
        }
        var n3 = Reuse(recycle?.N3, d * k);
        foreach (var ex in tSparse)
            for (int j = 0; j < ex.Ids.Length; j++) n3[ex.Ids[j] * k] += ex.Counts[j];
        for (int i = 0; i < bSparse.Length; i++)
        {
            var ex = bSparse[i];
            int a = assign[i];
            for (int j = 0; j < ex.Ids.Length; j++) n3[ex.Ids[j] * k + a] += ex.Counts[j];
        }
        var n2ctx = Reuse(recycle?.N2ctx, 65536 * k);
        var u2 = Reuse(recycle?.U2, 65536 * k);
        var n1 = Reuse(recycle?.N1, 65536 * k);
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
        var p1 = Reuse(recycle?.P1, 65536 * k);
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
        var lp2 = Reuse(recycle?.TrigramLogProb, checked(d * w));
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
        return new Tables { RowWidth = w, Components = k, BigramLogProb = lp1, TrigramBackOff = bo, TrigramLogProb = lp2, KeyOfId = keyOfId, N3 = n3, N2ctx = n2ctx, U2 = u2, N1 = n1, P1 = p1 };
    }
}
