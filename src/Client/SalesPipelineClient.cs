using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Client;

/// <summary>The SDK facade over the cluster's query grain.</summary>
internal sealed class SalesPipelineClient(IClusterClient cluster) : ISalesPipelineClient
{
    private IGoldQueryGrain Query => cluster.GetGrain<IGoldQueryGrain>(0);

    public async Task<IReadOnlyList<RegionSales>> GetRegionSalesAsync(DateOnly? from, DateOnly? to, bool byDay, CancellationToken cancellationToken) =>
        await Query.GetRegionSalesAsync(from, to, byDay).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<ProductSales>> GetTopProductsAsync(int? top, CancellationToken cancellationToken) =>
        await Query.GetTopProductsAsync(top).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<CustomerMetrics>> GetTopCustomersAsync(int? top, CancellationToken cancellationToken) =>
        await Query.GetTopCustomersAsync(top).WaitAsync(cancellationToken);

    public Task<CustomerMetrics?> GetCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return Query.GetCustomerAsync(customerId).WaitAsync(cancellationToken);
    }

    public Task<OrderView?> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        return Query.GetOrderAsync(orderId).WaitAsync(cancellationToken);
    }

    public Task<PipelineStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        Query.GetStatusAsync().WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<QuarantinedRecord>> GetQuarantineAsync(string? source, int limit, CancellationToken cancellationToken) =>
        await Query.GetQuarantineAsync(source, limit).WaitAsync(cancellationToken);

    public async Task<PipelineStatus> WaitForCaughtUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var status = await GetStatusAsync(deadline.Token);
                if (status.CaughtUp || status.Error is not null)
                {
                    return status;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The pipeline did not catch up within {timeout}.");
        }
    }
}
