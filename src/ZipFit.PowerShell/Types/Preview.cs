namespace ZipFit;

internal static class Preview
{
    /// <summary>A one-line preview: whitespace runs folded, cut at <paramref name="width"/> characters (the report's rule).</summary>
    public static string Of(string text, int width = 60) => Core.Reporting.ReportBuilder.MakePreview(text, width);
}
