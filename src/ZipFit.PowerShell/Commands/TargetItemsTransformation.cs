using System.Collections;
using System.Management.Automation;

namespace ZipFit.Commands;

/// <summary>
/// The one way in for target and background items (-Target, -Background, New-ZipFitTarget -InputObject): whatever is
/// given becomes one flat array, so every form behaves alike: one object or many, arrays inside arrays (several
/// Import-ZipFitDataset results), objects PowerShell wrapped, Get-ZipFitScore output (its example); null items are
/// dropped. A ZipFit.Target, a string, an example or an object stays one item. Each item's text is then found by
/// <see cref="TextInput"/> with the cmdlet's -TextProperty, which a transformation cannot see.
/// </summary>
public sealed class TargetItemsTransformationAttribute : ArgumentTransformationAttribute
{
    private const int MaxNesting = 32;

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var items = new List<object>();
        Add(items, inputData, 0);
        return items.ToArray();
    }

    private static void Add(List<object> items, object? input, int depth)
    {
        object? value = input is PSObject ps ? ps.BaseObject : input;
        switch (value)
        {
            case null:
                return;
            case ScoredExample scored:
                items.Add(scored.Example);
                return;
            case string or Example or Target or IDictionary:
                items.Add(input!);
                return;
            case IEnumerable sequence when depth < MaxNesting:
                foreach (object? item in sequence)
                {
                    Add(items, item, depth + 1);
                }
                return;
            default:
                items.Add(input!);
                return;
        }
    }
}
