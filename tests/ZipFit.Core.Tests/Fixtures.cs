using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ZipFit.Core.Tests;

/// <summary>A slice of the shared python-code data with scores and lengths from Python's gzip.</summary>
internal static class Fixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "fixtures", "python-code");

    public static string TargetPath => Path.Combine(Dir, "target.jsonl");

    public static string SourcePath => Path.Combine(Dir, "source.jsonl");

    public static List<(string Id, string Text, string Domain)> Read(string path) =>
        File.ReadLines(path).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            return (d.RootElement.GetProperty("id").GetString()!, d.RootElement.GetProperty("text").GetString()!,
                d.RootElement.GetProperty("domain").GetString()!);
        }).ToList();

    public static List<byte[]> TargetBytes() => Read(TargetPath).Select(t => Encoding.UTF8.GetBytes(t.Text)).ToList();

    public static Dictionary<string, double> Scores(int level) =>
        File.ReadLines(Path.Combine(Dir, $"scores-gzip{level}.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
}
