using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SalesPipeline.Grains.Orders;

namespace SalesPipeline.Grains.Tests;

/// <summary>Orleans' serializer with the grains' types, as a silo has it (for rows stored in Orleans' format).</summary>
internal static class TestSerializer
{
    public static Serializer Create() => new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(OrderState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();
}
