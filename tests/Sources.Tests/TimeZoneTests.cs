namespace SalesPipeline.Sources.Tests;

/// <summary>
/// Expected offsets come from the published rules, not from TimeZoneInfo: in 2026 New York moves to EDT
/// (−4) on 8 March at 02:00 and back to EST (−5) on 1 November at 02:00; Berlin moves to CEST (+2) on
/// 29 March at 02:00 and back to CET (+1) on 25 October at 03:00.
/// </summary>
public sealed class TimeZoneTests
{
    private static async Task<LineRecord> Line(string zone, string time, string? format = null)
    {
        var options = Sources.Csv(o =>
        {
            o.TimeZone = zone;
            o.TimestampFormat = format;
        });
        return (await Sources.ReadSingleAsync(options, $"{Sources.Header}\no,p,T,1,1,{time},c\n")).Mapped();
    }

    private static DateTimeOffset At(int month, int day, int hour, int minute, double offsetHours) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    [Theory]
    [InlineData("2026-01-15 10:00", 1, 15, 10, 0, -5)]
    [InlineData("2026-07-15 10:00", 7, 15, 10, 0, -4)]
    [InlineData("2026-03-08 01:59", 3, 8, 1, 59, -5)]
    [InlineData("2026-03-08 03:00", 3, 8, 3, 0, -4)]
    [InlineData("2026-11-01 00:59", 11, 1, 0, 59, -4)]
    [InlineData("2026-11-01 02:00", 11, 1, 2, 0, -5)]
    public async Task LocalTimes_GetTheZoneOffsetAtThatInstant(string text, int month, int day, int hour, int minute, double offset)
    {
        var time = (await Line("America/New_York", text)).OrderTime;

        Assert.Equal(At(month, day, hour, minute, offset), time);
        Assert.Equal(TimeSpan.FromHours(offset), time.Offset);
    }

    [Fact]
    public async Task LocalTime_InTheSpringGap_MovesForwardByTheGap()
    {
        var time = (await Line("America/New_York", "2026-03-08 02:30")).OrderTime;

        Assert.Equal(At(3, 8, 3, 30, -4), time);
        Assert.Equal(TimeSpan.FromHours(-4), time.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), time.ToUniversalTime());
    }

    [Fact]
    public async Task LocalTime_RepeatedInAutumn_IsTheFirstOccurrence()
    {
        var time = (await Line("America/New_York", "2026-11-01 01:30")).OrderTime;

        Assert.Equal(TimeSpan.FromHours(-4), time.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), time.ToUniversalTime());
    }

    [Fact]
    public async Task TimesWithOffset_KeepTheInstantInTheZone()
    {
        var line = await Line("America/New_York", "2026-07-15T02:00:00Z");

        Assert.Equal(new DateTimeOffset(2026, 7, 14, 22, 0, 0, TimeSpan.FromHours(-4)), line.OrderTime);
        Assert.Equal(TimeSpan.FromHours(-4), line.OrderTime.Offset);
        Assert.Equal(new DateOnly(2026, 7, 14), line.OrderDate);
    }

    [Theory]
    [InlineData("29/03/2026 01:59", 3, 29, 1, 59, 1)]
    [InlineData("29/03/2026 02:30", 3, 29, 3, 30, 2)]
    [InlineData("25/10/2026 02:30", 10, 25, 2, 30, 2)]
    [InlineData("25/10/2026 03:00", 10, 25, 3, 0, 1)]
    public async Task CustomFormat_InBerlin_FollowsDaylightSaving(string text, int month, int day, int hour, int minute, double offset)
    {
        var time = (await Line("Europe/Berlin", text, "dd/MM/yyyy HH:mm")).OrderTime;

        Assert.Equal(At(month, day, hour, minute, offset), time);
        Assert.Equal(TimeSpan.FromHours(offset), time.Offset);
    }

    [Fact]
    public async Task ZoneWithoutDaylightSaving_HasOneOffset()
    {
        var line = await Line("Asia/Tokyo", "2026-12-31 23:30");

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.FromHours(9)), line.OrderTime);
        Assert.Equal(new DateOnly(2026, 12, 31), line.OrderDate);
        Assert.Equal(new DateOnly(2026, 12, 31), DateOnly.FromDateTime(line.OrderTime.UtcDateTime));
    }

    [Fact]
    public async Task FormatWithOffset_UsesTheWrittenOffset()
    {
        var line = await Line("Europe/Berlin", "01.07.2026 10:00 -05:00", "dd.MM.yyyy HH:mm zzz");

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 17, 0, 0, TimeSpan.FromHours(2)), line.OrderTime);
        Assert.Equal(TimeSpan.FromHours(2), line.OrderTime.Offset);
    }
}
