using System.Buffers;
using System.Text.Json;

namespace ZipFit.Core.Data;

/// <summary>Where a top-level property's value lies in the line: its token, and for a string the bytes between its
/// quotes (<see cref="Start"/> is the opening quote), for a number its bytes.</summary>
internal struct JsonValueSpan
{
    public JsonTokenType Token;
    public int Start, Length;
    public bool Escaped;
}

/// <summary>
/// A strict scanner for JSONL records, for speed: a code text has an escape every few dozen bytes, and
/// <see cref="Utf8JsonReader"/> validates a string with escapes byte by byte (twice, with the copy that unescapes it),
/// where this scanner jumps from escape to escape. It accepts a line only when the reader (default options) would
/// accept it too, and declines everything else: a syntax error, nesting deeper than 64, a property name with
/// escapes. A declined line goes to the reader, which decides, and words the errors. The line is already known to be
/// valid UTF-8.
/// </summary>
internal static class JsonLineScanner
{
    private const int MaxDepth = 64;

    // What ends a run of plain string bytes: the closing quote, an escape, or a control byte (not allowed raw).
    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    /// <summary>Scans a line holding one JSON object and finds its top-level text, id and score properties (the last
    /// of duplicates, as the reader's loop keeps). False when the reader must decide.</summary>
    public static bool TryScan(ReadOnlySpan<byte> line, ReadOnlySpan<byte> textName, ReadOnlySpan<byte> idName, ReadOnlySpan<byte> scoreName,
        out JsonValueSpan text, out JsonValueSpan id, out JsonValueSpan score)
    {
        text = id = score = default;
        int i = SkipWhitespace(line, 0);
        if (i >= line.Length || line[i] != '{') return false;
        i = SkipWhitespace(line, i + 1);
        if (i < line.Length && line[i] == '}')
        {
            i++;
        }
        else
        {
            while (true)
            {
                if (i >= line.Length || line[i] != '"') return false;
                int nameStart = i + 1;
                if (!String(line, ref i, out bool nameEscaped) || nameEscaped) return false;
                var name = line[nameStart..(i - 1)];
                i = SkipWhitespace(line, i);
                if (i >= line.Length || line[i] != ':') return false;
                i = SkipWhitespace(line, i + 1);
                if (i >= line.Length) return false;
                var value = new JsonValueSpan { Start = i };
                switch (line[i])
                {
                    case (byte)'"':
                        value.Token = JsonTokenType.String;
                        if (!String(line, ref i, out value.Escaped)) return false;
                        value.Length = i - value.Start - 2;
                        break;
                    case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                        value.Token = JsonTokenType.Number;
                        if (!Number(line, ref i)) return false;
                        value.Length = i - value.Start;
                        break;
                    default:
                        value.Token = line[i] switch
                        {
                            (byte)'{' => JsonTokenType.StartObject,
                            (byte)'[' => JsonTokenType.StartArray,
                            (byte)'t' => JsonTokenType.True,
                            (byte)'f' => JsonTokenType.False,
                            (byte)'n' => JsonTokenType.Null,
                            _ => JsonTokenType.None,
                        };
                        if (!Value(line, ref i, 1)) return false;
                        break;
                }
                if (name.SequenceEqual(textName)) text = value;
                if (name.SequenceEqual(idName)) id = value;
                if (name.SequenceEqual(scoreName)) score = value;
                i = SkipWhitespace(line, i);
                if (i >= line.Length) return false;
                if (line[i] == '}')
                {
                    i++;
                    break;
                }
                if (line[i] != ',') return false;
                i = SkipWhitespace(line, i + 1);
            }
        }
        return SkipWhitespace(line, i) == line.Length;
    }

    /// <summary>
    /// Unescapes a JSON string's bytes (between the quotes, already scanned) into <paramref name="destination"/>, which
    /// is at least as long. −1 when a \u escape is not well-formed UTF-16 (a lone or reversed surrogate): the reader
    /// decides those.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int written = 0, i = 0;
        while (true)
        {
            int k = raw[i..].IndexOf((byte)'\\');
            if (k < 0)
            {
                raw[i..].CopyTo(destination[written..]);
                return written + raw.Length - i;
            }
            raw.Slice(i, k).CopyTo(destination[written..]);
            written += k;
            i += k;
            byte c = raw[i + 1];
            if (c != 'u')
            {
                destination[written++] = c switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => c, // " \ /
                };
                i += 2;
                continue;
            }
            int unit = Hex4(raw.Slice(i + 2, 4));
            i += 6;
            int codePoint = unit;
            if (unit is >= 0xD800 and <= 0xDFFF)
            {
                if (unit > 0xDBFF || i + 6 > raw.Length || raw[i] != '\\' || raw[i + 1] != 'u') return -1;
                int low = Hex4(raw.Slice(i + 2, 4));
                if (low is < 0xDC00 or > 0xDFFF) return -1;
                codePoint = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            }
            written += new System.Text.Rune(codePoint).EncodeToUtf8(destination[written..]);
        }
    }

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        int value = 0;
        foreach (byte h in hex)
        {
            value = (value << 4) | (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        return value;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') i++;
        return i;
    }

    /// <summary>A value at s[i] (not whitespace); i moves past it.</summary>
    private static bool Value(ReadOnlySpan<byte> s, ref int i, int depth)
    {
        switch (s[i])
        {
            case (byte)'"':
                return String(s, ref i, out _);
            case (byte)'{':
                return depth < MaxDepth && Object(s, ref i, depth + 1);
            case (byte)'[':
                return depth < MaxDepth && Array(s, ref i, depth + 1);
            case (byte)'t':
                return Literal(s, ref i, "true"u8);
            case (byte)'f':
                return Literal(s, ref i, "false"u8);
            case (byte)'n':
                return Literal(s, ref i, "null"u8);
            default:
                return Number(s, ref i);
        }
    }

    private static bool Object(ReadOnlySpan<byte> s, ref int i, int depth)
    {
        i = SkipWhitespace(s, i + 1);
        if (i < s.Length && s[i] == '}')
        {
            i++;
            return true;
        }
        while (true)
        {
            if (i >= s.Length || s[i] != '"' || !String(s, ref i, out _)) return false;
            i = SkipWhitespace(s, i);
            if (i >= s.Length || s[i] != ':') return false;
            i = SkipWhitespace(s, i + 1);
            if (i >= s.Length || !Value(s, ref i, depth)) return false;
            i = SkipWhitespace(s, i);
            if (i >= s.Length) return false;
            if (s[i] == '}')
            {
                i++;
                return true;
            }
            if (s[i] != ',') return false;
            i = SkipWhitespace(s, i + 1);
        }
    }

    private static bool Array(ReadOnlySpan<byte> s, ref int i, int depth)
    {
        i = SkipWhitespace(s, i + 1);
        if (i < s.Length && s[i] == ']')
        {
            i++;
            return true;
        }
        while (true)
        {
            if (i >= s.Length || !Value(s, ref i, depth)) return false;
            i = SkipWhitespace(s, i);
            if (i >= s.Length) return false;
            if (s[i] == ']')
            {
                i++;
                return true;
            }
            if (s[i] != ',') return false;
            i = SkipWhitespace(s, i + 1);
        }
    }

    /// <summary>A string at s[i] (its opening quote); i moves past the closing quote.</summary>
    private static bool String(ReadOnlySpan<byte> s, ref int i, out bool escaped)
    {
        escaped = false;
        i++;
        while (true)
        {
            int k = s[i..].IndexOfAny(StringSpecials);
            if (k < 0) return false;
            i += k;
            byte b = s[i];
            if (b == '"')
            {
                i++;
                return true;
            }
            if (b != '\\' || i + 1 >= s.Length) return false;
            escaped = true;
            switch (s[i + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    i += 2;
                    break;
                case (byte)'u':
                    if (i + 6 > s.Length) return false;
                    foreach (byte h in s.Slice(i + 2, 4))
                    {
                        if (!char.IsAsciiHexDigit((char)h)) return false;
                    }
                    i += 6;
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>A number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool Number(ReadOnlySpan<byte> s, ref int i)
    {
        if (i < s.Length && s[i] == '-') i++;
        if (i >= s.Length) return false;
        if (s[i] == '0') i++;
        else if (!Digits(s, ref i)) return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (!Digits(s, ref i)) return false;
        }
        if (i < s.Length && (s[i] | 0x20) == 'e')
        {
            i++;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-') i++;
            if (!Digits(s, ref i)) return false;
        }
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, ref int i)
    {
        int start = i;
        while (i < s.Length && char.IsAsciiDigit((char)s[i])) i++;
        return i > start;
    }

    private static bool Literal(ReadOnlySpan<byte> s, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!s[i..].StartsWith(literal)) return false;
        i += literal.Length;
        return true;
    }
}
