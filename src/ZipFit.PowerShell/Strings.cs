namespace ZipFit;

/// <summary>User-facing messages and stable error ids, in one place.</summary>
internal static class Strings
{
    public const string ScoringTimes = "Time: on the pipeline thread, reading {0:F1} s, scoring calls {1:F1} s (waiting for the scorers {2:F1} s of it), downstream commands {3:F1} s; the scoring threads busy {4:F1} s in all ({5} threads).";
    public const string EmptyTarget = "The target set is empty: give at least one target example.";
    public const string TargetItemHasNoText = "Target item {0} has no text: pass strings, ZipFit examples, or objects with a '{1}' property.";
    public const string EmptyBackground = "The -Background sample is empty: give at least one example of the pool.";
    public const string BackgroundItemHasNoText = "Background item {0} has no text: pass strings, ZipFit examples, or objects with a '{1}' property.";
    public const string BackgroundNotUsed = "The {0} method compares each example with the target alone and takes no -Background sample; use -Background with one of the O(N) methods (-Method MultiViewXent, MixtureXent, ContextXent, ZstdXent, Dsir, DsirSmoothed).";
    public const string BackgroundConflict = "Give either -Background (the sample itself) or -BackgroundSize (how many leading pool examples form it), not both.";
    public const string InputHasNoText = "The input object has no '{0}' property to score; pass strings, ZipFit examples, or use -TextProperty.";
    public const string InputTextNotString = "The input object's '{0}' property is not a string.";
    public const string BadLevel = "Level {0} is not valid for {1}; valid levels are {2}.";
    public const string PathNotFound = "Cannot find path '{0}' because it does not exist.";
    public const string NotAFile = "'{0}' is a directory, not a dataset file.";
    public const string UnknownExtension = "'{0}' has no known dataset extension (.jsonl, .ndjson, .json, .txt, optionally + .gz/.zst, or .parquet); reading it as JSONL.";
    public const string RecordTooLargeRemedy = "Raise the limit with -MaxRecordBytes (up to 1GB) to read it.";
    public const string RowGroupTooLargeRemedy = "Rewrite the file with smaller row groups, or raise -MaxRecordBytes (the budget is 4 times it, at least 1 GiB).";
    public const string NotACacheRemedy = "Use another -CachePath or remove the file.";
    public const string CacheVersionRemedy = "Upgrade ZipFit or use another -CachePath.";
    public const string OutputExists = "The file '{0}' already exists. Use -Force to overwrite it.";
    public const string TargetGroupsUnavailable = "-TargetGroupProperty needs the target examples themselves (a ZipFit.Target from New-ZipFitTarget keeps no fields): pass -Target (Import-ZipFitDataset target.jsonl).";
    public const string TargetItemHasNoGroup = "Target item {0} has no '{1}' value to name its mode (-TargetGroupProperty).";
    public const string NoCoverage = "Select-ZipFitTop -Balanced needs examples scored with Get-ZipFitScore -Coverage (or -TargetGroupProperty); this one has no coverage key.";
    public const string BalancedNeedsTop = "-Balanced needs -Top <K>: it shares K examples among the target's modes.";
    public const string NoSelection = "Give -Top <K>, -MinScore <score>, or both.";
    public const string NoScore = "The input object has no score: pipe the output of Get-ZipFitScore or objects with a 'Score' property.";
    public const string ReportNoScore = "{0}: the input has no score: pipe the output of Get-ZipFitScore, examples re-imported from an export made with -IncludeScore (a '{1}' field), or objects with a 'Score' property.";
    public const string InvalidScore = "{0}: the score '{1}' is not a number; the example is left out of the report.";
    public const string ReportEmpty = "No scored examples were given: the report says there is nothing to show.";
    public const string CacheNotFoundAt = "There is no ZipFit cache at '{0}'.";
    public const string CacheUnavailable = "The cache at '{0}' cannot be used ({1}); scoring goes on without it.";
    public const string ClearCache = "Remove {0} cached entries";
    public const string BadCompressor = "'{0}' is not a compressor. Give one of {1}, optionally with a level: gzip-6, zstd-19, lzma-9, lzma-6e (an lzma extreme preset).";
    public const string SystemZlibMissing = "gzip lengths at this level come from .NET's deflate ({0}) and will not equal Python's gzip.compress: no system zlib was found (levels 1-9 are exact everywhere).";
}

/// <summary>Stable error ids (the first part of FullyQualifiedErrorId).</summary>
internal static class ErrorIds
{
    public const string EmptyTarget = "ZipFit.EmptyTarget";
    public const string InvalidTargetItem = "ZipFit.InvalidTargetItem";
    public const string EmptyBackground = "ZipFit.EmptyBackground";
    public const string TooFewExamples = "ZipFit.TooFewExamples";
    public const string InvalidBackgroundItem = "ZipFit.InvalidBackgroundItem";
    public const string BackgroundNotUsed = "ZipFit.BackgroundNotUsed";
    public const string BackgroundConflict = "ZipFit.BackgroundConflict";
    public const string InvalidLevel = "ZipFit.InvalidLevel";
    public const string MissingText = "ZipFit.MissingTextProperty";
    public const string TextNotString = "ZipFit.TextNotString";
    public const string PathNotFound = "ZipFit.PathNotFound";
    public const string RecordTooLarge = "ZipFit.RecordTooLarge";
    public const string OutputExists = "ZipFit.OutputExists";
    public const string WriteFailed = "ZipFit.WriteFailed";
    public const string NoScore = "ZipFit.NoScore";
    public const string NoSelection = "ZipFit.NoSelection";
    public const string InvalidScore = "ZipFit.InvalidScore";
    public const string TargetGroupsUnavailable = "ZipFit.TargetGroupsUnavailable";
    public const string InvalidTargetGroup = "ZipFit.InvalidTargetGroup";
    public const string NoCoverage = "ZipFit.NoCoverage";
    public const string ScoringFailed = "ZipFit.ScoringFailed";
    public const string NotACache = "ZipFit.NotACache";
    public const string CacheNotFound = "ZipFit.CacheNotFound";
    public const string InvalidShard = "ZipFit.InvalidShard";
    public const string CompressorUnavailable = "ZipFit.CompressorUnavailable";

    /// <summary>Reader error ids get the module prefix.</summary>
    public static string ForDataset(string readerErrorId) => "ZipFit." + readerErrorId;
}
