using System.Numerics;
using System.Runtime.InteropServices;

namespace ZipFit.Core.Selection.Coverage;

/// <summary>
/// k-means on sparse unit vectors (squared Euclidean distance, i.e. 2 − 2·cos against the centroid's length),
/// seeded k-means++ style from a fixed seed, so the same sample always gives the same clusters. Centroids are kept
/// dimension-major (<c>[dim * stride + c]</c>) so that a sparse point meets every centroid in one pass over its features.
/// </summary>
internal sealed class KMeansClustering
{
    private KMeansClustering(float[] byDim, float[] halfNormSquared, int k)
    {
        CentroidsByDim = byDim;
        HalfNormSquared = halfNormSquared;
        K = k;
    }

    public int K { get; }

    /// <summary>Centroids, dimension-major.</summary>
    public float[] CentroidsByDim { get; }

    /// <summary>½‖μ_c‖² per centroid: the nearest centroid maximises x·μ_c − ½‖μ_c‖².</summary>
    public float[] HalfNormSquared { get; }

    public static KMeansClustering Fit(IReadOnlyList<(int[] Dims, float[] Values)> points, int k, int seed, int iterations = 30)
    {
        int n = points.Count, dims = ByteGramFeatures.Dimensions;
        k = Math.Min(k, n);
        var rng = new Random(seed);
        var centroids = new float[k * dims]; // centroid-major while fitting
        // Greedy k-means++: each next seed is the best (lowest total squared distance) of a few candidates drawn with
        // probability proportional to their squared distance from the nearest seed so far; one draw alone too often
        // lands two seeds in one dense region and leaves another without one.
        int trials = 2 + (int)Math.Log(k);
        var nearest = new double[n];
        var candidateNearest = new double[n];
        var bestNearest = new double[n];
        var candidate = new float[dims];
        Array.Fill(nearest, double.MaxValue);
        SetToPoint(centroids, 0, points[rng.Next(n)], dims);
        UpdateNearest(nearest, points, centroids, 0, dims);
        for (int c = 1; c < k; c++)
        {
            double total = nearest.Sum();
            double bestPotential = double.MaxValue;
            int bestPick = -1;
            for (int t = 0; t < trials; t++)
            {
                double r = rng.NextDouble() * total;
                int pick = n - 1;
                for (int i = 0; i < n; i++)
                {
                    r -= nearest[i];
                    if (r <= 0) { pick = i; break; }
                }
                Array.Clear(candidate);
                SetToPoint(candidate, 0, points[pick], dims);
                Array.Copy(nearest, candidateNearest, n);
                double potential = UpdateNearest(candidateNearest, points, candidate, 0, dims);
                if (potential < bestPotential)
                {
                    bestPotential = potential;
                    bestPick = pick;
                    Array.Copy(candidateNearest, bestNearest, n);
                }
            }
            SetToPoint(centroids, c, points[bestPick], dims);
            Array.Copy(bestNearest, nearest, n);
        }
        var assignment = new int[n];
        Array.Fill(assignment, -1);
        var clustering = Transpose(centroids, k, dims);
        var scratch = new float[k + Vector<float>.Count];
        for (int it = 0; it < iterations; it++)
        {
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int best = clustering.Nearest(points[i].Dims, points[i].Values, points[i].Dims.Length, scratch);
                if (best != assignment[i]) { assignment[i] = best; changed = true; }
            }
            if (!changed) break;
            Array.Clear(centroids);
            var counts = new int[k];
            for (int i = 0; i < n; i++)
            {
                var (d, v) = points[i];
                int offset = assignment[i] * dims;
                counts[assignment[i]]++;
                for (int j = 0; j < d.Length; j++) centroids[offset + d[j]] += v[j];
            }
            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0) continue;
                float inv = 1f / counts[c];
                for (int d = 0; d < dims; d++) centroids[c * dims + d] *= inv;
            }
            clustering = Transpose(centroids, k, dims);
        }
        return clustering;
    }

    /// <summary>The nearest centroid of a sparse unit vector; <paramref name="scratch"/> holds K floats.</summary>
    public int Nearest(int[] dims, float[] values, int count, Span<float> scratch)
    {
        int stride = Stride;
        scratch = scratch[..stride];
        scratch.Clear();
        var acc = MemoryMarshal.Cast<float, Vector<float>>(scratch);
        for (int j = 0; j < count; j++)
        {
            var v = new Vector<float>(values[j]);
            var row = MemoryMarshal.Cast<float, Vector<float>>(CentroidsByDim.AsSpan(dims[j] * stride, stride));
            for (int q = 0; q < acc.Length; q++) acc[q] += row[q] * v;
        }
        int best = 0;
        float bestValue = float.NegativeInfinity;
        for (int c = 0; c < K; c++)
        {
            float value = scratch[c] - HalfNormSquared[c];
            if (value > bestValue) { bestValue = value; best = c; }
        }
        return best;
    }

    /// <summary>Sum of squared distances of the points to their nearest centroid: lower is a tighter clustering.</summary>
    public double Inertia(IReadOnlyList<(int[] Dims, float[] Values)> points)
    {
        var scratch = new float[Stride + Vector<float>.Count];
        double total = 0;
        foreach (var (dims, values) in points)
        {
            int c = Nearest(dims, values, dims.Length, scratch);
            total += Math.Max(0, 1 - 2 * (scratch[c] - HalfNormSquared[c]));
        }
        return total;
    }

    /// <summary>The nearest of the given centroids (<paramref name="among"/>, not empty).</summary>
    public int NearestAmong(IReadOnlyList<int> among, int[] dims, float[] values, int count, Span<float> scratch)
    {
        Nearest(dims, values, count, scratch);
        int best = among[0];
        foreach (int c in among)
        {
            if (scratch[c] - HalfNormSquared[c] > scratch[best] - HalfNormSquared[best]) best = c;
        }
        return best;
    }

    /// <summary>Row width of <see cref="CentroidsByDim"/>: K rounded up to whole SIMD vectors.</summary>
    public int Stride => (K + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    private static KMeansClustering Transpose(float[] centroids, int k, int dims)
    {
        int stride = (k + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        var byDim = new float[stride * dims];
        var half = new float[k];
        for (int c = 0; c < k; c++)
        {
            double norm = 0;
            for (int d = 0; d < dims; d++)
            {
                float x = centroids[c * dims + d];
                byDim[d * stride + c] = x;
                norm += x * x;
            }
            half[c] = (float)(norm / 2);
        }
        return new KMeansClustering(byDim, half, k);
    }

    /// <summary>Lowers each point's squared distance to its nearest seed by the seed at <paramref name="offset"/>; returns the new total.</summary>
    private static double UpdateNearest(double[] nearest, IReadOnlyList<(int[] Dims, float[] Values)> points, float[] dense, int offset, int dims)
    {
        double total = 0;
        for (int i = 0; i < nearest.Length; i++)
        {
            double d = Math.Max(0, 2 - 2 * Dot(points[i], dense, offset));
            if (d < nearest[i]) nearest[i] = d;
            total += nearest[i];
        }
        return total;
    }

    private static double Dot((int[] Dims, float[] Values) p, float[] dense, int offset)
    {
        double s = 0;
        for (int j = 0; j < p.Dims.Length; j++) s += p.Values[j] * dense[offset + p.Dims[j]];
        return s;
    }

    private static void SetToPoint(float[] centroids, int c, (int[] Dims, float[] Values) p, int dims)
    {
        for (int j = 0; j < p.Dims.Length; j++) centroids[c * dims + p.Dims[j]] = p.Values[j];
    }
}
