namespace SalesPipeline.Delta;

/// <summary>The reconciled state of a table at one version (PROTOCOL.md "Action Reconciliation").</summary>
internal sealed class TableState
{
    public long Version { get; set; } = -1;
    public ProtocolAction? Protocol { get; set; }
    public MetadataAction? Metadata { get; set; }
    /// <summary>Live files by path, in the order they were added.</summary>
    public Dictionary<string, AddAction> Files { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, RemoveAction> Tombstones { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TxnAction> AppTransactions { get; } = new(StringComparer.Ordinal);
    /// <summary>Timestamp of the commit that produced this version (commitInfo.timestamp, else file time).</summary>
    public DateTimeOffset? CommitTimestamp { get; set; }

    public void Apply(DeltaAction action)
    {
        switch (action)
        {
            case ProtocolAction p: Protocol = p; break;
            case MetadataAction m: Metadata = m; break;
            case AddAction a:
                Files.Remove(a.Path); // re-adding moves the file to the end, keeping stats of the latest add
                Files[a.Path] = a;
                Tombstones.Remove(a.Path);
                break;
            case RemoveAction r:
                Files.Remove(r.Path);
                Tombstones[r.Path] = r;
                break;
            case TxnAction t: AppTransactions[t.AppId] = t; break;
        }
    }

    public TableState Clone()
    {
        var c = new TableState { Version = Version, Protocol = Protocol, Metadata = Metadata, CommitTimestamp = CommitTimestamp };
        foreach (var kv in Files) c.Files.Add(kv.Key, kv.Value);
        foreach (var kv in Tombstones) c.Tombstones.Add(kv.Key, kv.Value);
        foreach (var kv in AppTransactions) c.AppTransactions.Add(kv.Key, kv.Value);
        return c;
    }
}
