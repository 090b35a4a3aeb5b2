using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Quality;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// What reading one chunk of one file produced: its Bronze records, the records to publish per partition,
/// the quarantine, the counters, and where the file's next chunk starts.
/// </summary>
internal sealed class ChunkOutput(long chunk, SourceRuntime source, string file, int partitions, DateTimeOffset ingestTime)
{
    /// <summary>The chunk's number: the key of its Bronze records, and the id its acknowledgements carry.</summary>
    public long Chunk { get; } = chunk;
    public SourceRuntime Source { get; } = source;
    public string File { get; } = file;
    public DateTimeOffset IngestTime { get; } = ingestTime;

    /// <summary>Every record taken, as received.</summary>
    public BronzeChunk Bronze { get; } = new() { Source = source.Name, File = file, IngestTime = ingestTime };
    public Dictionary<int, List<RawRecord>> ByPartition { get; } = [];
    public List<QuarantinedRecord> Quarantined { get; } = [];
    public long Read { get; set; }
    public long Warnings { get; set; }
    public long Dropped { get; set; }
    public long Unroutable { get; set; }
    public int BlankLines { get; set; }

    /// <summary>Where the next chunk starts (byte offset for jsonl; the file length once read to its end).</summary>
    public long EndOffset { get; set; }

    /// <summary>Records of the file consumed after this chunk.</summary>
    public long EndLine { get; set; }

    /// <summary>False when the file ended without new records (the listing saw a length it no longer has).</summary>
    public bool Progressed { get; set; } = true;

    /// <summary>Set when a <c>fail</c> expectation stopped the file at a record of this chunk.</summary>
    public SourceFailure? Failure { get; set; }

    /// <summary>Unknown columns or fields seen in this chunk (merged into the checkpoint under the coordinator's lock).</summary>
    public HashSet<string> NewColumns { get; } = new(StringComparer.Ordinal);

    public int Routed => ByPartition.Sum(p => p.Value.Count);

    /// <summary>
    /// Takes record <paramref name="number"/> of the file (its line or row) with the verdict of the built-in
    /// rules (<paramref name="rejection"/>) and of the expectations: applied, dropped, quarantined (with the
    /// rule), or — for <c>fail</c> — not taken at all (returns false: the caller stops the file before it).
    /// <paramref name="rawBytes"/> is the raw text's size as read, or -1 to count it if it is quarantined.
    /// </summary>
    public bool Take(
        long number,
        string raw,
        long rawBytes,
        string? orderId,
        string? rejection,
        in ExpectationOutcome outcome,
        OrderEvent? order = null,
        SourceLine? line = null)
    {
        string? rule = null;
        string? droppedBy = null;
        if (rejection is null)
        {
            switch (outcome.Action)
            {
                case ExpectationAction.Fail:
                    var failing = outcome.DecidingRule!;
                    Failure = new SourceFailure
                    {
                        File = File,
                        Row = number,
                        Rule = failing.Name,
                        Message = $"expectation '{failing.Name}' (fail) failed at {File} record {number}: {failing.Condition}; the source waits until the file is replaced or removed",
                    };
                    return false;
                case ExpectationAction.Quarantine:
                    rule = outcome.DecidingRule!.Name;
                    rejection = $"expectation '{rule}' failed: {outcome.DecidingRule.Condition}";
                    break;
                case ExpectationAction.Drop:
                    droppedBy = outcome.DecidingRule!.Name;
                    Dropped++;
                    break;
            }
        }

        Read++;
        var index = Bronze.Records.Count;
        Bronze.Records.Add(new BronzeRecord(
            number,
            raw,
            orderId,
            rejection is not null ? RecordOutcome.Quarantined : droppedBy is not null ? RecordOutcome.Dropped : null,
            rejection ?? (droppedBy is null ? null : $"dropped by expectation '{droppedBy}'")));
        if (rejection is not null)
        {
            Quarantined.Add(new QuarantinedRecord
            {
                Origin = new RecordOrigin(Source.Name, File, number),
                OrderId = orderId,
                Reason = rejection,
                Rule = rule,
                Raw = raw,
                RawBytes = rawBytes >= 0 ? rawBytes : System.Text.Encoding.UTF8.GetByteCount(raw),
                IngestTime = IngestTime,
            });
        }

        if (orderId is null)
        {
            Unroutable++;
            return true;
        }

        var kept = rejection is null && droppedBy is null;
        var record = new RawRecord
        {
            Chunk = Chunk,
            Index = index,
            IngestTime = IngestTime,
            OrderId = orderId,
            Rejected = rejection is not null,
            Dropped = droppedBy is not null,
            Event = kept ? order : null,
            Line = kept ? line : null,
        };

        var partition = Orders.OrderPartitionGrain.PartitionOf(orderId, partitions);
        if (!ByPartition.TryGetValue(partition, out var list))
        {
            ByPartition[partition] = list = [];
        }

        list.Add(record);
        return true;
    }
}
