using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Orders;

/// <summary>One order: its Bronze log (every record as received) and its Silver current version.</summary>
[GenerateSerializer, Alias("sp.OrderState")]
internal sealed class OrderState
{
    [Id(0)] public List<BronzeEntry> Bronze { get; set; } = [];
    [Id(1)] public HashSet<string> EventIds { get; set; } = [];
    /// <summary>
    /// The current version: the newest event, or for an order of lines, the lines assembled (derived from
    /// <see cref="Lines"/> and not stored: it would double the row).
    /// </summary>
    public OrderEvent? Current => Lines is null ? CurrentEvent : assembled ??= Assemble(OrderId!, Lines);

    /// <summary>The newest event of an order of events.</summary>
    [Id(2)] public OrderEvent? CurrentEvent { get; set; }

    /// <summary>The order's id (needed to assemble an order of lines).</summary>
    [Id(4)] public string? OrderId { get; set; }

    [NonSerialized]
    private OrderEvent? assembled;

    /// <summary>Lines of an order from line sources (csv, parquet), by line key; null for order events.</summary>
    [Id(3)] public Dictionary<string, SourceLine>? Lines { get; set; }

    /// <summary>
    /// Appends the record to Bronze and, when it is a new event newer than the current version, makes it
    /// the current version. Duplicates (same event_id) and stale versions stay in Bronze only.
    /// </summary>
    public RecordOutcome Apply(RawRecord record)
    {
        var outcome = Decide(record);
        var reason = record.Rejection ?? (record.DroppedBy is { } rule ? $"dropped by expectation '{rule}'" : null);
        Bronze.Add(new BronzeEntry(record.Origin, record.IngestTime, record.Raw, outcome, reason));
        return outcome;
    }

    private RecordOutcome Decide(RawRecord record)
    {
        if (record.Line is { } line)
        {
            // A line read again (same key) replaces itself: identical rows change nothing downstream.
            Lines ??= new Dictionary<string, SourceLine>(StringComparer.Ordinal);
            Lines[line.LineKey] = line;
            OrderId = record.OrderId;
            assembled = null;
            return RecordOutcome.Applied;
        }

        if (record.Event is not { } candidate)
        {
            return record.DroppedBy is null ? RecordOutcome.Quarantined : RecordOutcome.Dropped;
        }

        if (!EventIds.Add(candidate.EventId))
        {
            return RecordOutcome.Duplicate;
        }

        if (Current is { } current && !Contribution.IsNewer(candidate, current))
        {
            return RecordOutcome.Stale;
        }

        CurrentEvent = candidate;
        return RecordOutcome.Applied;
    }

    /// <summary>
    /// The Silver version of an order made of lines: every line, in key order, with the order fields of its
    /// latest row (customer_id of the latest row that has one) and the status of the latest row that has one
    /// (placed when none does).
    /// </summary>
    private static OrderEvent Assemble(string orderId, Dictionary<string, SourceLine> lines)
    {
        SourceLine? latest = null, latestWithCustomer = null, latestWithStatus = null;
        foreach (var line in lines.Values)
        {
            latest = Later(latest, line);
            if (line.CustomerId is not null)
            {
                latestWithCustomer = Later(latestWithCustomer, line);
            }

            if (line.Status is not null)
            {
                latestWithStatus = Later(latestWithStatus, line);
            }
        }

        return new OrderEvent
        {
            EventId = "",
            OrderId = orderId,
            Sequence = lines.Count,
            OrderTime = latest!.OrderTime,
            Status = latestWithStatus?.Status ?? OrderStatus.Placed,
            CustomerId = latestWithCustomer?.CustomerId,
            Region = latest.Region,
            Country = latest.Country,
            Currency = latest.Currency,
            Lines = [.. lines.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value.Line)],
        };

        static SourceLine Later(SourceLine? a, SourceLine b) =>
            a is null || b.Arrival > a.Arrival || (b.Arrival == a.Arrival && string.CompareOrdinal(b.LineKey, a.LineKey) > 0) ? b : a;
    }
}
