using System.Text;
using System.Text.Json;

namespace ZipFit.Core.Tests.Methods;

/// <summary>Small committed slice: 30 Python targets; pool of 40 Python + 160 others (20 per domain) from source-small.</summary>
public static class Fixture
{
    public sealed record Ex(string Id, byte[] Bytes, string Domain);

    private static readonly Lazy<List<Ex>> PoolLazy = new(() => Load("pool.jsonl"));
    private static readonly Lazy<List<Ex>> TargetLazy = new(() => Load("target.jsonl"));

    public static List<Ex> Pool => PoolLazy.Value;
    public static List<byte[]> Target => TargetLazy.Value.Select(e => e.Bytes).ToList();
    /// <summary>Background = the whole fixture pool (it is small).</summary>
    public static List<byte[]> Background => Pool.Select(e => e.Bytes).ToList();

    /// <summary>A mixture small enough for the fixture: 8 background components, one EM pass.</summary>
    public static ZipFit.Core.Scoring.Methods.MixtureXentOptions SmallMixture { get; } = new() { Clusters = 8, EmIterations = 1 };

    private static List<Ex> Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "methods", name);
        var list = new List<Ex>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            list.Add(new Ex(r.GetProperty("id").GetString()!, Encoding.UTF8.GetBytes(r.GetProperty("text").GetString()!),
                r.TryGetProperty("domain", out var d) ? d.GetString()! : ""));
        }
        return list;
    }

    public static double PrecisionAt(double[] scores, List<Ex> pool, string domain, int k) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k)
            .Count(i => pool[i].Domain == domain) / (double)k;

    public static double[] ScoreAll(ZipFit.Core.Scoring.IScoringMethod m, List<Ex> pool, int threads)
    {
        var scores = new double[pool.Count];
        int next = -1;
        void Work()
        {
            using var s = m.CreateScorer();
            int i;
            while ((i = Interlocked.Increment(ref next)) < pool.Count) scores[i] = s.Score(pool[i].Bytes);
        }
        var ts = Enumerable.Range(0, threads).Select(_ => new Thread(Work)).ToList();
        ts.ForEach(t => t.Start());
        ts.ForEach(t => t.Join());
        return scores;
    }
}
