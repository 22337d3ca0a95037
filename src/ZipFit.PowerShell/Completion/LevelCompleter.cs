using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ZipFit.Core.Compression;

namespace ZipFit.Completion;

/// <summary>Completes -Level with the valid levels of the chosen -Compressor (gzip by default).</summary>
public sealed class LevelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // A list, not an iterator: the iterator's class would hold a ZipFit.Core enum in a field, and every
        // type of this assembly must load before ZipFit.Core is reachable (see Internal/ZipFitLoadContext.cs).
        var results = new List<CompletionResult>();
        var kind = CompressorKind.Gzip;
        if (fakeBoundParameters["Compressor"] is { } name)
        {
            CompressorSpec.TrySplit(name.ToString(), out string bare, out _, out _);
            CompressorSpec.TryParseKind(bare, out kind);
        }
        int defaultLevel = CompressorSpec.DefaultLevel(kind);
        foreach (int level in CompressorSpec.ValidLevels(kind))
        {
            string text = level.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (text.StartsWith(wordToComplete, StringComparison.Ordinal))
            {
                string tip = level == defaultLevel ? $"{CompressorSpec.Name(kind)} level {level} (default)" : $"{CompressorSpec.Name(kind)} level {level}";
                results.Add(new CompletionResult(text, text, CompletionResultType.ParameterValue, tip));
            }
        }
        return results;
    }
}
