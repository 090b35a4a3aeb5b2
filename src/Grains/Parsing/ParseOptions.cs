namespace SalesPipeline.Grains.Parsing;

/// <summary>What the parser needs to know to validate and convert an order event.</summary>
internal sealed record ParseOptions(
    string BaseCurrency,
    IReadOnlyDictionary<string, decimal> RatesToBase,
    int MaxLineBytes)
{
    /// <summary>Line amounts are rounded to this many decimals (cents of the base currency), half away from zero.</summary>
    public const int AmountDecimals = 2;

    /// <summary>Quantities beyond this (either sign) are absurd and quarantined.</summary>
    public const int MaxQuantity = 1_000_000;

    /// <summary>Unit prices and discounts beyond this are absurd and quarantined.</summary>
    public const decimal MaxMoney = 1_000_000_000m;

    /// <summary>Order times outside [MinTime, MaxTime) are absurd and quarantined.</summary>
    public static readonly DateTimeOffset MinTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset MaxTime = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// The result of parsing one line: a valid event, or a rejection reason. <see cref="OrderId"/> is set
/// whenever the line names an order, so even a rejected record reaches that order's Bronze log.
/// </summary>
internal readonly record struct ParseResult(
    string? OrderId,
    SalesPipeline.Abstractions.Model.OrderEvent? Event,
    string? Rejection,
    string? Warning);
