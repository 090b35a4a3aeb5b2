using System.Data.SqlTypes;
using System.Globalization;
using System.Numerics;

namespace SalesPipeline.Delta;

/// <summary>
/// Decimal values: <see cref="decimal"/> when the value fits (28-29 digits), otherwise <see cref="SqlDecimal"/>,
/// which holds the full 38 digits Delta allows, exactly.
/// </summary>
internal static class Decimals
{
    private static readonly BigInteger DecimalLimit = BigInteger.One << 96;

    public static object FromBig(BigInteger unscaled, int scale)
    {
        var abs = BigInteger.Abs(unscaled);
        if (scale <= 28 && abs < DecimalLimit)
        {
            var lo = (int)(uint)(abs & uint.MaxValue);
            var mid = (int)(uint)((abs >> 32) & uint.MaxValue);
            var hi = (int)(uint)((abs >> 64) & uint.MaxValue);
            return new decimal(lo, mid, hi, unscaled.Sign < 0, (byte)scale);
        }
        var digits = abs.ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = (unscaled.Sign < 0 ? "-" : "") + (scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..]);
        return SqlDecimal.Parse(text);
    }

    /// <summary>The value with exactly <paramref name="scale"/> fractional digits (legacy encodings can drop trailing zeros).</summary>
    public static decimal WithScale(decimal value, int scale)
    {
        if (value.Scale == scale || scale > 28) return value;
        if (value.Scale > scale) return Math.Round(value, scale, MidpointRounding.ToEven);
        return decimal.Parse(value.ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
