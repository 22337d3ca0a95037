using System.Management.Automation;
using ZipFit.Core.Data;

namespace ZipFit;

/// <summary>A dataset example: its id, text, where it came from, and every original field.</summary>
public sealed class Example
{
    private PSObject? _record;

    internal Example(DatasetRecord record) => Data = record;

    internal Example(string id, string text, string source, PSObject? record)
    {
        Data = new DatasetRecord(id, text, source, 0, null);
        _record = record;
    }

    internal DatasetRecord Data { get; }

    public string Id => Data.Id;

    public string Text => Data.Text;

    /// <summary><c>file:line</c> for examples read from files.</summary>
    public string Source => Data.Line > 0 ? Data.Location : Data.File;

    /// <summary>UTF-8 length of the text.</summary>
    public int Bytes => Data.Utf8.Length;

    /// <summary>The original record's fields as an object (parsed when first asked for).</summary>
    public PSObject? Record => _record ??= Data.Json is null ? null : RecordConversion.ToPSObject(Data.Json);

    public override string ToString() => $"{Id}: {Preview.Of(Text)}";
}
