namespace ZipFit.Core.Cache;

/// <summary>What a cache file holds.</summary>
public sealed record CacheInfo(
    string Path,
    long SizeBytes,
    int SchemaVersion,
    long LengthRows,
    long PairRows,
    long ScoreRows,
    long TargetRows,
    IReadOnlyList<string> Compressors,
    IReadOnlyList<string> Methods)
{
    public override string ToString() =>
        $"{Path}: {SizeBytes / 1048576.0:F1} MB, {LengthRows} lengths, {PairRows} pair rows, {ScoreRows} scores, {TargetRows} target sets; compressors {string.Join(", ", Compressors)}";
}
