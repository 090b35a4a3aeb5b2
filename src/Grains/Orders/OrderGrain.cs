using Orleans.Placement;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Hosting;

namespace SalesPipeline.Grains.Orders;

// Activated where its partition runs: no remote hop, and local placement is the cheapest activation.
[PreferLocalPlacement]
// Most orders and customers are touched for a few seconds; their state is staged or committed, so an idle
// activation can go after two minutes (the shortest Orleans allows) instead of Orleans' default 15 and stop weighing on memory and GC.
[CollectionAgeLimit(Minutes = 2)]
[GrainType("sp.order")]
internal sealed class OrderGrain(
    [PersistentState("order", StorageNames.Pipeline)] IPersistentState<OrderState> state) : Grain, IOrderGrain
{
    public async Task<OrderApplyResult> ApplyAsync(RawRecord[] records)
    {
        var result = new OrderApplyResult();
        var before = state.State.Current;
        foreach (var record in records)
        {
            var outcome = Apply(record);
            state.State.Bronze.Add(new BronzeEntry(record.Origin, record.IngestTime, record.Raw, outcome, record.Rejection));
            switch (outcome)
            {
                case RecordOutcome.Applied: result.Applied++; break;
                case RecordOutcome.Duplicate: result.Duplicates++; break;
                case RecordOutcome.Stale: result.Stale++; break;
                default: result.Quarantined++; break;
            }
        }

        var after = state.State.Current;
        if (!ReferenceEquals(before, after))
        {
            Diff(before, after, result);
        }

        await state.WriteStateAsync();
        return result;
    }

    public Task<OrderView?> GetAsync() =>
        Task.FromResult(state.RecordExists || state.State.Bronze.Count > 0
            ? new OrderView(this.GetPrimaryKeyString(), state.State.Current, [.. state.State.Bronze])
            : null);

    private RecordOutcome Apply(RawRecord record)
    {
        if (record.Event is not { } candidate)
        {
            return RecordOutcome.Quarantined;
        }

        if (!state.State.EventIds.Add(candidate.EventId))
        {
            return RecordOutcome.Duplicate;
        }

        if (state.State.Current is { } current && !Contribution.IsNewer(candidate, current))
        {
            return RecordOutcome.Stale;
        }

        state.State.Current = candidate;
        return RecordOutcome.Applied;
    }

    private static void Diff(OrderEvent? before, OrderEvent? after, OrderApplyResult result)
    {
        var regionDays = new Dictionary<string, GoldFigures>(StringComparer.Ordinal);
        var products = new Dictionary<string, ProductDelta>(StringComparer.Ordinal);
        Contribution.Accumulate(before, -1, regionDays, products);
        Contribution.Accumulate(after, +1, regionDays, products);
        result.RegionDays = regionDays.Where(kv => !kv.Value.IsZero).ToDictionary(StringComparer.Ordinal);

        // A product whose figures did not move may still carry a newer name.
        result.Products = products.Where(kv => !kv.Value.Figures.IsZero || kv.Value.Name is not null).ToDictionary(StringComparer.Ordinal);

        var oldCustomer = Contribution.ForCustomer(before);
        var newCustomer = Contribution.ForCustomer(after);
        var changes = new List<CustomerChange>(2);
        if (before?.CustomerId != after?.CustomerId)
        {
            if (oldCustomer is not null)
            {
                changes.Add(new CustomerChange(before!.CustomerId!, before.OrderId, null));
            }

            if (newCustomer is not null)
            {
                changes.Add(new CustomerChange(after!.CustomerId!, after.OrderId, newCustomer));
            }
        }
        else if (oldCustomer != newCustomer && after?.CustomerId is { } customerId)
        {
            changes.Add(new CustomerChange(customerId, after.OrderId, newCustomer));
        }

        result.Customers = changes;
    }
}
