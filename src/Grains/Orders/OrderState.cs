using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Orders;

/// <summary>One order: its Bronze log (every record as received) and its Silver current version.</summary>
[GenerateSerializer, Alias("sp.OrderState")]
internal sealed class OrderState
{
    [Id(0)] public List<BronzeEntry> Bronze { get; set; } = [];
    [Id(1)] public HashSet<string> EventIds { get; set; } = [];
    [Id(2)] public OrderEvent? Current { get; set; }

    /// <summary>
    /// Appends the record to Bronze and, when it is a new event newer than the current version, makes it
    /// the current version. Duplicates (same event_id) and stale versions stay in Bronze only.
    /// </summary>
    public RecordOutcome Apply(RawRecord record)
    {
        var outcome = Decide(record);
        Bronze.Add(new BronzeEntry(record.Origin, record.IngestTime, record.Raw, outcome, record.Rejection));
        return outcome;
    }

    private RecordOutcome Decide(RawRecord record)
    {
        if (record.Event is not { } candidate)
        {
            return RecordOutcome.Quarantined;
        }

        if (!EventIds.Add(candidate.EventId))
        {
            return RecordOutcome.Duplicate;
        }

        if (Current is { } current && !Contribution.IsNewer(candidate, current))
        {
            return RecordOutcome.Stale;
        }

        Current = candidate;
        return RecordOutcome.Applied;
    }
}
