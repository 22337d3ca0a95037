using System.Management.Automation;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>A scoring cmdlet whose users choose the method and, for the O(N) methods, the pool's background sample.</summary>
public abstract class MethodScoringCmdlet : ScoringCmdlet
{
    /// <summary>Ncd (faithful ZIP-FIT, default) or one of the O(N) methods (MultiViewXent, MixtureXent, ContextXent, ZstdXent, Dsir, DsirSmoothed); see about_ZipFit.</summary>
    [Parameter]
    public ZipFit.ScoringMethodName Method { get; set; } = ZipFit.ScoringMethodName.Ncd;

    /// <summary>For the O(N) methods: how many leading pool examples form the pool's background sample.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BackgroundSize { get; set; } = MethodCatalog.DefaultBackgroundSize;

    /// <summary>For the O(N) methods: the background sample itself, instead of the pool's first -BackgroundSize examples.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [AllowNull]
    [TargetItemsTransformation]
    public object[]? Background { get; set; }

    protected override Core.Scoring.ScoringMethodName MethodName => Method.ToCore();

    protected override int BackgroundSizeValue => BackgroundSize;

    private protected override IReadOnlyList<byte[]>? ResolveBackground()
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Background)))
        {
            return null;
        }
        if (!MethodCatalog.NeedsBackground(MethodName) && !WantsCoverage)
        {
            ThrowTerminating(ErrorIds.BackgroundNotUsed, ErrorCategory.InvalidArgument, Format(Strings.BackgroundNotUsed, Method), Background);
        }
        if (MyInvocation.BoundParameters.ContainsKey(nameof(BackgroundSize)))
        {
            ThrowTerminating(ErrorIds.BackgroundConflict, ErrorCategory.InvalidArgument, Strings.BackgroundConflict, Background);
        }
        var items = Background ?? [];
        var bytes = TextsOf(items, ErrorIds.InvalidBackgroundItem, Strings.BackgroundItemHasNoText);
        if (bytes.Count == 0)
        {
            ThrowTerminating(ErrorIds.EmptyBackground, ErrorCategory.InvalidArgument, Strings.EmptyBackground, Background);
        }
        return bytes;
    }
}
