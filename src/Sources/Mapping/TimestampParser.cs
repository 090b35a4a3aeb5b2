using System.Globalization;

namespace SalesPipeline.Sources.Mapping;

/// <summary>
/// Turns order-time text or typed values into instants expressed in the source's time zone. Keeps the last
/// text it parsed: the lines of one order usually repeat the same timestamp. Not thread-safe.
/// </summary>
internal sealed class TimestampParser
{
    private static readonly string[] IsoLocal =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    private static readonly string[] IsoWithOffset = [.. IsoLocal[..4].Select(f => f + "zzz")];
    private static readonly string[] IsoUtc = [.. IsoLocal[..4].Select(f => f + "'Z'")];

    private readonly string? format;
    private readonly bool formatHasOffset;
    private readonly TimeZoneInfo zone;
    private readonly bool isUtc;
    private string? lastText;
    private DateTimeOffset lastValue;

    public TimestampParser(string? format, TimeZoneInfo zone)
    {
        this.format = format;
        this.zone = zone;
        isUtc = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;
        formatHasOffset = format is not null && (format.Contains('z') || format.Contains('K'));
    }

    /// <summary>Parses text with the source's format, or ISO-8601 when it has none.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        if (lastText is not null && text.SequenceEqual(lastText))
        {
            value = lastValue;
            return true;
        }

        if (!TryParseCore(text, out value))
        {
            return false;
        }

        lastText = text.ToString();
        lastValue = value;
        return true;
    }

    /// <summary>A time with an offset, expressed in the source's zone.</summary>
    public DateTimeOffset InZone(DateTimeOffset value) => isUtc ? value.ToUniversalTime() : TimeZoneInfo.ConvertTime(value, zone);

    /// <summary>
    /// A wall-clock time of the source's zone. A time that falls in a daylight-saving gap (clocks jump
    /// forward) is moved forward by the gap; a time that occurs twice (clocks go back) is the first one.
    /// </summary>
    public DateTimeOffset FromLocal(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (isUtc)
        {
            return new DateTimeOffset(local, TimeSpan.Zero);
        }

        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddDays(-1));
            var after = zone.GetUtcOffset(local.AddDays(1));
            return new DateTimeOffset(local + (after - before), after);
        }

        if (zone.IsAmbiguousTime(local))
        {
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>A typed Parquet timestamp: UTC-adjusted ones are instants, the others wall-clock times of the zone.</summary>
    public DateTimeOffset FromParquet(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? InZone(new DateTimeOffset(value, TimeSpan.Zero)) : FromLocal(value);

    private bool TryParseCore(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        try
        {
            if (format is not null)
            {
                if (formatHasOffset)
                {
                    if (!DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
                    {
                        return false;
                    }

                    value = InZone(withOffset);
                    return true;
                }

                if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                {
                    return false;
                }

                value = FromLocal(local);
                return true;
            }

            if (DateTimeOffset.TryParseExact(text, IsoWithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso) ||
                DateTimeOffset.TryParseExact(text, IsoUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out iso))
            {
                value = InZone(iso);
                return true;
            }

            if (DateTime.TryParseExact(text, IsoLocal, CultureInfo.InvariantCulture, DateTimeStyles.None, out var isoLocal))
            {
                value = FromLocal(isoLocal);
                return true;
            }

            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            // A valid-looking time at the edge of the calendar whose offset moves it out of range.
            return false;
        }
    }
}
