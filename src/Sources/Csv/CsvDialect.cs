using System.Text;
using nietras.SeparatedValues;

namespace SalesPipeline.Sources.Csv;

/// <summary>Delimiter, quote and encoding settings of a CSV source, parsed from their option text.</summary>
internal static class CsvDialect
{
    public static readonly string[] EncodingNames =
        ["utf-8", "utf-16", "utf-16be", "utf-32", "latin1", "iso-8859-1", "windows-1252", "us-ascii"];

    /// <summary>The delimiter character, or null when the text is not one character.</summary>
    public static char? ParseDelimiter(string? text) => text switch
    {
        null or "" => null,
        "\\t" or "tab" or "TAB" or "Tab" => '\t',
        { Length: 1 } => text[0],
        _ => null,
    };

    /// <summary>Why Sep cannot split on <paramref name="delimiter"/>, or null when it can.</summary>
    public static string? CheckDelimiter(char delimiter)
    {
        if (delimiter is '"' or '\r' or '\n')
        {
            return "cannot be a quote or a line break";
        }

        try
        {
            _ = Sep.New(delimiter);
            return null;
        }
        catch (ArgumentException)
        {
            return "is not supported as a separator (use a printable ASCII character or a tab)";
        }
    }

    /// <summary>True when quotes are parsed, false when they are ordinary characters, null when the option is unsupported.</summary>
    public static bool? ParseQuote(string? text) => text switch
    {
        null or "" => false,
        "\"" => true,
        _ => null,
    };

    /// <summary>The encoding the option names, or null. Names ignore case, '-' and '_'.</summary>
    public static Encoding? ResolveEncoding(string? name)
    {
        var key = (name ?? "utf-8").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
        return key switch
        {
            "utf8" or "" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            "utf16" or "utf16le" or "unicode" => Encoding.Unicode,
            "utf16be" => Encoding.BigEndianUnicode,
            "utf32" or "utf32le" => Encoding.UTF32,
            "latin1" or "iso88591" => Encoding.Latin1,
            "usascii" or "ascii" => Encoding.ASCII,

            // The code page provider ships with .NET; asked directly, it needs no global registration.
            "windows1252" or "cp1252" => CodePagesEncodingProvider.Instance.GetEncoding(1252),
            _ => null,
        };
    }
}
