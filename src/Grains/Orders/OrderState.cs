using MemoryPack;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Orders;

/// <summary>
/// One order: where its Bronze records are (every record as received, kept in Bronze chunks) with what
/// became of each, and its Silver current version.
/// </summary>
[MemoryPackable]
[GenerateSerializer, Alias("sp.OrderState")]
internal sealed partial class OrderState
{
    /// <summary>
    /// Bronze records held in the row itself, as rows written before Bronze chunks have them (read only: new
    /// records go to <see cref="BronzeRefs"/>).
    /// </summary>
    [Id(0)] public List<BronzeEntry>? LegacyBronze { get; set; }

    /// <summary>The order's raw records, in arrival order: where each is kept and its outcome.</summary>
    [Id(5)] public List<BronzeRef> BronzeRefs { get; set; } = [];

    /// <summary>Ingest time of the order's latest record (incremental Silver exports select by it).</summary>
    [Id(6)] public DateTimeOffset LastIngest { get; set; }

    /// <summary>Event ids seen (order events only; null for an order of lines, and until its first event).</summary>
    [Id(1)] public HashSet<string>? EventIds { get; set; }
    /// <summary>
    /// The current version: the newest event, or for an order of lines, the lines assembled (derived from
    /// <see cref="Lines"/> and not stored: it would double the row).
    /// </summary>
    [MemoryPackIgnore]
    public OrderEvent? Current => Lines is null ? CurrentEvent : assembled ??= Assemble(OrderId!, Lines);

    /// <summary>The newest event of an order of events.</summary>
    [Id(2)] public OrderEvent? CurrentEvent { get; set; }

    /// <summary>The order's id (needed to assemble an order of lines).</summary>
    [Id(4)] public string? OrderId { get; set; }

    [NonSerialized]
    [MemoryPackIgnore]
    private OrderEvent? assembled;

    /// <summary>
    /// Lines as MemoryPack objects: how rows stored them before <see cref="CompactLinesFormatter"/>. Read from such
    /// rows, always written empty (null) now; it keeps its place in the layout so both kinds of row decode.
    /// </summary>
    [MemoryPackInclude]
    private Dictionary<string, SourceLine>? LinesAsObjects
    {
        get => null;
        set => Lines = value ?? Lines;
    }

    /// <summary>Lines of an order from line sources (csv, parquet), by line key; null for order events.</summary>
    [MemoryPackIgnore]
    [Id(3)] public Dictionary<string, SourceLine>? Lines { get; set; }

    /// <summary>The lines in their compact stored form (the last member: rows written before it end without it).</summary>
    [MemoryPackInclude]
    [CompactLines]
    private Dictionary<string, SourceLine>? StoredLines
    {
        get => Lines;
        set => Lines = value ?? Lines;
    }

    /// <summary>
    /// Records the record's Bronze position and outcome and, when it is a new event newer than the current
    /// version, makes it the current version. Duplicates (same event_id) and stale versions stay in Bronze only.
    /// </summary>
    public RecordOutcome Apply(RawRecord record)
    {
        var outcome = Decide(record);
        BronzeRefs.Add(new BronzeRef(record.Chunk, record.Index, outcome));
        if (record.IngestTime > LastIngest)
        {
            LastIngest = record.IngestTime;
        }

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
            return record.Dropped ? RecordOutcome.Dropped : RecordOutcome.Quarantined;
        }

        if (!(EventIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(candidate.EventId))
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
        var keys = new string[lines.Count];
        var ordered = new OrderLine[lines.Count];
        var n = 0;
        foreach (var (key, line) in lines)
        {
            keys[n] = key;
            ordered[n++] = line.Line;
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

        if (keys.Length > 1)
        {
            Array.Sort(keys, ordered, StringComparer.Ordinal);
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
            Lines = ordered,
        };

        static SourceLine Later(SourceLine? a, SourceLine b) =>
            a is null || b.Arrival > a.Arrival || (b.Arrival == a.Arrival && string.CompareOrdinal(b.LineKey, a.LineKey) > 0) ? b : a;
    }
}
