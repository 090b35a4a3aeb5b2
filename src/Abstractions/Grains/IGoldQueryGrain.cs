using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Abstractions.Grains;

/// <summary>
/// Read side of the pipeline: answers Gold, Silver and status queries inside the cluster so a client
/// makes one call instead of fanning out over thousands of Gold grains.
/// </summary>
public interface IGoldQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Sales by region over [from, to] (inclusive order dates), summed per region or per region and day.</summary>
    Task<RegionSales[]> GetRegionSalesAsync(DateOnly? from, DateOnly? to, bool byDay);

    /// <summary>Products by sales, descending (ties by product id); all when <paramref name="top"/> is null.</summary>
    Task<ProductSales[]> GetTopProductsAsync(int? top);

    /// <summary>Customers by lifetime sales, descending (ties by customer id); all when <paramref name="top"/> is null.</summary>
    Task<CustomerMetrics[]> GetTopCustomersAsync(int? top);

    /// <summary>One customer's metrics, or null when the customer has no contributing order.</summary>
    Task<CustomerMetrics?> GetCustomerAsync(string customerId);

    /// <summary>One order's Silver state and Bronze log, or null when no record of it arrived.</summary>
    Task<OrderView?> GetOrderAsync(string orderId);

    /// <summary>Ingestion counters, Gold key counts and whether the pipeline has caught up.</summary>
    Task<PipelineStatus> GetStatusAsync();

    /// <summary>Quarantined records in arrival order, optionally of one source.</summary>
    Task<QuarantinedRecord[]> GetQuarantineAsync(string? source, int limit);
}
