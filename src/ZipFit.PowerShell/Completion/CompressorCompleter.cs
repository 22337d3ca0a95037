using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using ZipFit.Core.Compression;

namespace ZipFit.Completion;

/// <summary>
/// Completes -Compressor: the names (gzip, zstd, brotli, lz4, lzma), and once a name and a dash are typed,
/// that compressor's levels (lzma-0 … lzma-9 and the extreme presets lzma-0e … lzma-9e).
/// </summary>
public sealed class CompressorCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // A list, not an iterator (see LevelCompleter).
        var results = new List<CompletionResult>();
        string word = (wordToComplete ?? "").Trim('\'', '"');
        int dash = word.IndexOf('-', StringComparison.Ordinal);
        foreach (string name in CompressorSpec.Names)
        {
            CompressorSpec.TryParseKind(name, out var kind);
            if (dash < 0)
            {
                if (name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(new CompletionResult(name, name, CompletionResultType.ParameterValue, Tip(kind, CompressorSpec.DefaultLevel(kind), false, true)));
                }
                continue;
            }
            if (!string.Equals(word[..dash], name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (int level in CompressorSpec.ValidLevels(kind))
            {
                Add(results, word, kind, level, false);
                if (kind == CompressorKind.Lzma)
                {
                    Add(results, word, kind, level, true);
                }
            }
        }
        return results;
    }

    private static void Add(List<CompletionResult> results, string word, CompressorKind kind, int level, bool extreme)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{CompressorSpec.Name(kind)}-{level}{(extreme ? "e" : "")}");
        if (text.StartsWith(word, StringComparison.OrdinalIgnoreCase))
        {
            results.Add(new CompletionResult(text, text, CompletionResultType.ParameterValue, Tip(kind, level, extreme, false)));
        }
    }

    private static string Tip(CompressorKind kind, int level, bool extreme, bool bare)
    {
        string name = CompressorSpec.Name(kind);
        string what = kind == CompressorKind.Lzma
            ? $"{name} preset {level}{(extreme ? " extreme" : "")}{(bare || level == CompressorSpec.DefaultLevel(kind) && !extreme ? " (default)" : "")}, Python's lzma.compress"
            : $"{name} level {level}{(bare || level == CompressorSpec.DefaultLevel(kind) ? " (default)" : "")}";
        return new CompressorSpec(kind, level, extreme: extreme).UnavailableReason is null ? what : what + " — liblzma not found on this machine";
    }
}

/// <summary>Accepts a compressor name with an optional level: gzip, gzip-6, zstd-19, lzma, lzma-9, lzma-6e.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateCompressorAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        string? text = arguments is PSObject ps ? ps.BaseObject?.ToString() : arguments?.ToString();
        if (!CompressorSpec.TrySplit(text, out string name, out _, out bool extreme) || !CompressorSpec.TryParseKind(name, out var kind)
            || (extreme && kind != CompressorKind.Lzma))
        {
            throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture, Strings.BadCompressor, text, string.Join(", ", CompressorSpec.Names)));
        }
    }
}
