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
        var kind = CompressorKind.Gzip;
        if (fakeBoundParameters["Compressor"] is { } name)
        {
            CompressorSpec.TryParseKind(name.ToString(), out kind);
        }
        int defaultLevel = CompressorSpec.DefaultLevel(kind);
        foreach (int level in CompressorSpec.ValidLevels(kind))
        {
            string text = level.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (text.StartsWith(wordToComplete, StringComparison.Ordinal))
            {
                string tip = level == defaultLevel ? $"{CompressorSpec.Name(kind)} level {level} (default)" : $"{CompressorSpec.Name(kind)} level {level}";
                yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
