using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Client;

/// <summary>Typed access to a running pipeline: Gold figures, Silver orders with their Bronze log, status.</summary>
public interface ISalesPipelineClient
{
    /// <summary>Sales by region for order dates in [from, to] (either end open), summed per region or per region and day.</summary>
    Task<IReadOnlyList<RegionSales>> GetRegionSalesAsync(DateOnly? from = null, DateOnly? to = null, bool byDay = false, CancellationToken cancellationToken = default);

    /// <summary>Products by sales, best first; all when <paramref name="top"/> is null.</summary>
    Task<IReadOnlyList<ProductSales>> GetTopProductsAsync(int? top = null, CancellationToken cancellationToken = default);

    /// <summary>Customers by lifetime sales, best first; all when <paramref name="top"/> is null.</summary>
    Task<IReadOnlyList<CustomerMetrics>> GetTopCustomersAsync(int? top = null, CancellationToken cancellationToken = default);

    /// <summary>One customer's metrics, or null when the customer has no contributing order.</summary>
    Task<CustomerMetrics?> GetCustomerAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>One order's Silver state and Bronze log, or null when nothing arrived for it.</summary>
    Task<OrderView?> GetOrderAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Ingestion counters, Gold key counts and <see cref="PipelineStatus.CaughtUp"/>.</summary>
    Task<PipelineStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Quarantined records in arrival order, optionally of one source.</summary>
    Task<IReadOnlyList<QuarantinedRecord>> GetQuarantineAsync(string? source = null, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Polls status until the pipeline has caught up, or throws <see cref="TimeoutException"/>.</summary>
    Task<PipelineStatus> WaitForCaughtUpAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
