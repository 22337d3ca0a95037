using System.Text;

namespace ZipFit;

internal static class Preview
{
    /// <summary>A one-line preview: whitespace runs folded, cut at <paramref name="width"/> characters.</summary>
    public static string Of(string text, int width = 60)
    {
        var sb = new StringBuilder(Math.Min(text.Length, width + 1));
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
            if (sb.Length >= width)
            {
                return sb.ToString(0, width - 1) + "…";
            }
        }
        return sb.ToString();
    }
}
