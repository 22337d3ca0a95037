using System.Text;

namespace ZipFit.Bench;

/// <summary>A markdown table printed as rows arrive and kept for the results file.</summary>
internal sealed class Table
{
    private readonly StringBuilder _text = new();

    public Table(string title, params string[] columns)
    {
        Line($"\n### {title}\n");
        Line("| " + string.Join(" | ", columns) + " |");
        Line("|" + string.Concat(columns.Select(_ => "---|")));
    }

    public void Row(params object[] cells) => Line("| " + string.Join(" | ", cells.Select(Format)) + " |");

    public void Note(string text) => Line("\n" + text);

    public override string ToString() => _text.ToString();

    private void Line(string text)
    {
        Console.WriteLine(text);
        _text.AppendLine(text);
    }

    private static string Format(object cell) => cell switch
    {
        double d when double.IsNaN(d) => "n/a",
        double d when Math.Abs(d) >= 1000 => d.ToString("N0"),
        double d => d.ToString("0.###"),
        _ => cell.ToString() ?? "",
    };
}
