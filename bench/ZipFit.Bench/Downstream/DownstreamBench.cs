using System.Text.Json;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;

namespace ZipFit.Bench.Downstream;

/// <summary>A labelled example of a scenario (the label is for baselines and reports only; selectors never read it).</summary>
internal sealed record LabelledExample(DatasetRecord Record, string Domain)
{
    public byte[] Utf8 => Record.Utf8;
}

/// <summary>A selection scenario: target examples to select with, held-out target examples to judge by, and a pool.</summary>
internal sealed record Scenario(string Name, List<LabelledExample> Select, List<LabelledExample> Eval, List<LabelledExample> Pool)
{
    public List<byte[]> EvalBytes { get; } = Eval.Select(e => e.Utf8).ToList();

    /// <summary>mixed-target: four modes, 25 of each on each side, and the pool they came out of.</summary>
    public static Scenario MixedTarget(string dir) => new("mixed-target",
        ReadLabelled(Path.Combine(dir, "target-select.jsonl")),
        ReadLabelled(Path.Combine(dir, "target-eval.jsonl")),
        ReadLabelled(Path.Combine(dir, "pool.jsonl.gz")));

    /// <summary>python-code: the 200 targets split alternately into 100 to select with and 100 held out.</summary>
    public static Scenario PythonCode(BenchData data)
    {
        var targets = ReadLabelled(data.TargetPath);
        return new("python-code",
            targets.Where((_, i) => i % 2 == 0).ToList(),
            targets.Where((_, i) => i % 2 == 1).ToList(),
            ReadLabelled(data.MediumPath));
    }

    public static List<LabelledExample> ReadLabelled(string path) =>
        DatasetReader.Read(path).Where(i => i.Record is not null).Select(i => new LabelledExample(i.Record!, DomainOf(i.Record!))).ToList();

    private static string DomainOf(DatasetRecord r)
    {
        using var doc = JsonDocument.Parse(r.Json!);
        return doc.RootElement.TryGetProperty("domain", out var d) ? d.GetString() ?? "" : "";
    }
}

internal static class DownstreamBench
{
    /// <summary>
    /// Label oracle: the first examples of each target mode in pool order, in the target's proportions
    /// (for a single-mode target: the first K of that domain).
    /// </summary>
    public static List<LabelledExample> Oracle(Scenario s, int k)
    {
        var shares = s.Select.GroupBy(e => e.Domain).Select(g => (g.Key, Share: g.Count() / (double)s.Select.Count)).ToList();
        var quotas = Allocate(shares.Select(x => x.Share).ToArray(), k);
        return shares.SelectMany((x, i) => s.Pool.Where(p => p.Domain == x.Key).Take(quotas[i])).ToList();
    }

    public static List<LabelledExample> Random(Scenario s, int k, int seed)
    {
        var rng = new Random(seed);
        return s.Pool.OrderBy(_ => rng.Next()).Take(k).ToList();
    }

    /// <summary>Largest-remainder allocation of k over shares.</summary>
    public static int[] Allocate(double[] shares, int k)
    {
        double total = shares.Sum();
        var exact = shares.Select(x => x / total * k).ToArray();
        var quotas = exact.Select(x => (int)Math.Floor(x)).ToArray();
        foreach (int i in Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - quotas[i]).ThenBy(i => i).Take(k - quotas.Sum()))
            quotas[i]++;
        return quotas;
    }

    public static double Bpb(Scenario s, IEnumerable<LabelledExample> selection) =>
        WittenBellByteModel.Evaluate(selection.Select(e => e.Utf8), s.EvalBytes);
}
