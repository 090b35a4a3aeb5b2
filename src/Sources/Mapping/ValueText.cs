using System.Globalization;

namespace SalesPipeline.Sources.Mapping;

/// <summary>Strict, culture-invariant parsing of field text (docs/sources.md, "Values").</summary>
internal static class ValueText
{
    // No thousands separators, no exponent, no currency symbols: "1,234.5" and "1e3" are not numbers.
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value) =>
        decimal.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// A whole number of units: "2", "-3", and "2.0"/"2.00" (exports that wrote an integer column as
    /// floating point) are accepted; "2.5" is not.
    /// </summary>
    public static string? ParseQuantity(ReadOnlySpan<char> text, out int value)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return null;
        }

        return TryParseDecimal(text, out var number) ? QuantityFrom(number, out value) : "is not a number";
    }

    public static string? QuantityFrom(decimal number, out int value)
    {
        value = 0;
        if (number != decimal.Truncate(number))
        {
            return "is not a whole number";
        }

        if (number is < int.MinValue or > int.MaxValue)
        {
            return "is out of range";
        }

        value = (int)number;
        return null;
    }

    /// <summary>
    /// Identifier normalization: digits followed by a dot and only zeros ("17850.0", "536365.00") lose the
    /// fraction, since spreadsheets and pandas write integer ids of a column with gaps as floating point.
    /// Anything else is kept as written.
    /// </summary>
    public static ReadOnlySpan<char> NormalizeId(ReadOnlySpan<char> text)
    {
        var dot = text.IndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            return text;
        }

        var digits = text[..dot];
        var zeros = text[(dot + 1)..];
        return digits.ContainsAnyExceptInRange('0', '9') || zeros.ContainsAnyExcept('0') ? text : digits;
    }

    /// <summary>The text quoted in a message, cut at 40 characters.</summary>
    public static string Show(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");

    /// <summary>The invariant text of a decimal that came from a typed column (ids, rescued values).</summary>
    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
